package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.ordergraph.e2e.support.Mutations.CREATE_USER;
import static dev.ordergraph.e2e.support.Mutations.input;
import static dev.ordergraph.e2e.support.Mutations.ordersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutations the gateway refuses before any subgraph runs them: an oversized body and too many mutation
 * fields; clear errors, never a 500, nothing written, still serving. (What a subgraph makes of a bad value
 * is tested in its slice tests: OrderRulesTest, OrderMutationsTest, UserMutationsTest.)
 */
class MutationInputTest extends GatewayTest {

    private final long owner = TestData.user("badvalues");
    private final GraphQlClient client = gateway(Tokens.viewer(owner));

    @AfterEach
    void nothingWasWrittenAndTheStackStillAnswers() {
        assertThat(ordersOf(owner)).isZero();
        Response response = client.execute("{ me { username } }");
        assertThat(response.data().path("me").path("username").asString()).isEqualTo(TestData.username(owner));
    }

    @Test
    void aOneMegabyteStringIsRefusedByTheGateway() {
        String huge = "x".repeat(1 << 20);
        GraphQlClient staff = gateway(Tokens.staff(TestData.user("hugestaff")));

        Response viaGateway = staff.execute(CREATE_USER, input("username", huge, "email", "huge@example.com"));

        assertThat(viaGateway.status()).as(viaGateway.body().substring(0, Math.min(300, viaGateway.body().length()))).isEqualTo(413);
        assertThat(viaGateway.errorCodes()).containsExactly("REQUEST_TOO_LARGE");
    }

    @Test
    void tooManyMutationFieldsInOneRequestAreRefusedBeforeAnyIsRun() {
        StringBuilder document = new StringBuilder("mutation {");
        for (int i = 0; i < 26; i++) {
            document.append(" m").append(i).append(": createOrder(input: {}) { order { id } }");
        }
        Response response = client.execute(document.append(" }").toString());

        assertThat(response.errorCodes()).as(response.toString()).containsExactly("TOO_MANY_MUTATIONS");
        assertThat(response.json().path("data").isMissingNode() || response.json().path("data").isNull()).isTrue();
    }
}
