package dev.ordergraph.e2e.operations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import mdg.engine.proto.Reports;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDate;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apollo federated tracing: each subgraph answers with an {@code ftv1} trace (Apollo's trace protobuf,
 * base64) in the response extensions when the gateway sends {@code apollo-federation-include-trace: ftv1},
 * as Apollo's and Hive's gateways do when they report usage; and only then.
 */
class FederatedTracingTest extends GatewayTest {

    private static final String HEADER = "apollo-federation-include-trace";

    @Test
    void ordersServiceTracesEachResolvedField() throws Exception {
        long owner = TestData.user("ftv1");
        TestData.orders(owner, 2, LocalDate.of(2026, 4, 1), "PAID");

        Reports.Trace trace = traceOf(stack.ordersUrl(), Tokens.viewer(owner), "query Traced { getOrders { id state } }");

        assertThat(trace.getDurationNs()).isPositive();
        assertThat(trace.getRoot().getChildList()).extracting(Reports.Trace.Node::getResponseName).containsExactly("getOrders");
        assertThat(trace.getRoot().getChild(0).getChildList()).as("one node per list item").hasSize(2);
    }

    @Test
    void usersServiceTracesEntityResolution() throws Exception {
        long user = TestData.user("ftv1u");
        String query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { username } } }";
        String body = GraphQlClient.JSON.writeValueAsString(java.util.Map.of("query", query, "variables",
                java.util.Map.of("r", java.util.List.of(java.util.Map.of("__typename", "User", "id", TestData.globalId("User", user))))));

        Response response = new GraphQlClient(stack.usersUrl(), Tokens.viewer(user)).withHeader(HEADER, "ftv1").post(body);

        assertThat(response.data().path("_entities").get(0).path("username").asString()).as(response.toString()).isEqualTo(TestData.username(user));
        Reports.Trace trace = Reports.Trace.parseFrom(Base64.getDecoder().decode(response.json().path("extensions").path("ftv1").asString()));
        assertThat(trace.getRoot().getChildList()).extracting(Reports.Trace.Node::getResponseName).containsExactly("_entities");
    }

    @Test
    void noTraceUnlessAsked() {
        long owner = TestData.user("noftv1");
        Response response = new GraphQlClient(stack.ordersUrl(), Tokens.viewer(owner)).execute("{ getOrders { id } }");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("extensions").path("ftv1").isMissingNode()).as(response.toString()).isTrue();
    }

    private static Reports.Trace traceOf(URI subgraph, String token, String query) throws Exception {
        Response response = new GraphQlClient(subgraph, token).withHeader(HEADER, "ftv1").execute(query);
        assertThat(response.errors().isMissingNode() || response.errors().isEmpty()).as(response.toString()).isTrue();
        String ftv1 = response.json().path("extensions").path("ftv1").asString();
        assertThat(ftv1).as(response.toString()).isNotBlank();
        return Reports.Trace.parseFrom(Base64.getDecoder().decode(ftv1));
    }
}
