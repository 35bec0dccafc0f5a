package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.ordergraph.e2e.mutations.Mutations.CREATE_ORDER;
import static dev.ordergraph.e2e.mutations.Mutations.CREATE_USER;
import static dev.ordergraph.e2e.mutations.Mutations.fieldErrors;
import static dev.ordergraph.e2e.mutations.Mutations.ordersOf;
import static dev.ordergraph.e2e.mutations.UserMutationsTest.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Values GraphQL itself refuses, and oversized input: clear errors, never a 500, nothing written, still serving. */
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
    void anImpossibleDateIsAGraphQlError() {
        Response asVariable = client.execute(CREATE_ORDER, input("date", "2026-13-45"));
        Response asLiteral = client.execute("mutation { createOrder(input: {date: \"yesterday\"}) { order { id } } }");

        for (Response response : new Response[] {asVariable, asLiteral}) {
            assertThat(response.status()).as(response.toString()).isBetween(200, 499);
            assertThat(response.errors().size()).as(response.toString()).isPositive();
            assertThat(response.body()).doesNotContain("INTERNAL");
        }
    }

    @Test
    void anUnknownEnumValueIsAGraphQlError() {
        Response asVariable = client.execute(CREATE_ORDER, input("state", "SHIPPED"));
        Response asLiteral = client.execute("mutation { createOrder(input: {state: SHIPPED}) { order { id } } }");

        for (Response response : new Response[] {asVariable, asLiteral}) {
            assertThat(response.status()).as(response.toString()).isBetween(200, 499);
            assertThat(response.errors().get(0).path("message").asString()).as(response.toString()).contains("SHIPPED");
        }
    }

    @Test
    void aOneMegabyteStringIsRefusedByTheGatewayAndIsAFieldErrorAtTheSubgraph() {
        String huge = "x".repeat(1 << 20);
        GraphQlClient staff = gateway(Tokens.staff(TestData.user("hugestaff")));

        Response viaGateway = staff.execute(CREATE_USER, input("username", huge, "email", "huge@example.com"));
        Response direct = new GraphQlClient(stack.usersUrl(), Tokens.staff(TestData.user("hugedirect")))
                .execute(CREATE_USER, input("username", huge, "email", "huge@example.com"));

        assertThat(viaGateway.status()).as(viaGateway.body().substring(0, Math.min(300, viaGateway.body().length()))).isEqualTo(413);
        assertThat(viaGateway.errorCodes()).containsExactly("REQUEST_TOO_LARGE");
        assertThat(direct.status()).isEqualTo(200);
        assertThat(fieldErrors(direct.data().path("createUser"))).containsOnlyKeys("username");
        assertThat(direct.body().length()).as("the answer does not echo the megabyte").isLessThan(2000);
    }

    @Test
    void aDateOutsideTheSaneRangeIsAFieldErrorOnDate() {
        for (String date : new String[] {"-5000-01-01", "0000-01-01", "1899-12-31"}) {
            Response response = client.execute(CREATE_ORDER, input("date", date));

            assertThat(response.errors().isEmpty()).as(date + ": " + response).isTrue();
            assertThat(fieldErrors(response.data().path("createOrder"))).as(date).containsOnlyKeys("date");
        }
    }

    @Test
    void anOverlongClientMutationIdIsAFieldError() {
        Response response = client.execute(CREATE_ORDER, input("clientMutationId", "m".repeat(300)));

        assertThat(response.errors().isEmpty()).as(response.toString()).isTrue();
        assertThat(fieldErrors(response.data().path("createOrder"))).containsOnlyKeys("clientMutationId");
    }

    @Test
    void staffCannotAssignAnOrderToAUserWhoDoesNotExist() {
        long nobody = 987_654_321L;
        Response response = gateway(Tokens.staff(TestData.user("assignstaff")))
                .execute(CREATE_ORDER, input("userId", TestData.globalId("User", nobody)));

        assertThat(response.errors().isEmpty()).as(response.toString()).isTrue();
        assertThat(fieldErrors(response.data().path("createOrder"))).containsOnlyKeys("userId");
        assertThat(ordersOf(nobody)).isZero();
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
