package dev.ordergraph.users;

import dev.ordergraph.platform.gateway.GatewaySignature;
import dev.ordergraph.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as deployed, over real HTTP: GraphQL only for requests a gateway signed; health and metrics on
 * the management port only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "ordergraph.gateway.hmac-secret=" + TrustBoundaryTest.SECRET, "ordergraph.gateway.allow-unsigned=false"})
@ContextConfiguration(initializers = TestDatabase.class)
@DirtiesContext
class TrustBoundaryTest {

    static final String SECRET = "trust-boundary-test-secret-0123456789abc";
    private static final String QUERY = "query($id: ID!) { user(id: $id) { id } }";
    private static final Map<String, Object> VARIABLES = Map.of("id", "VXNlcjox");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @Test
    void aRequestTheGatewaySignedIsServed() throws Exception {
        HttpResponse<String> response = graphQl(GatewaySignature.sign(SECRET, QUERY, VARIABLES));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"data\":{\"user\":null}}");
    }

    @Test
    void anUnsignedOrWronglySignedRequestIsRefused() throws Exception {
        for (String signature : new String[]{null, GatewaySignature.sign("another-secret", QUERY, VARIABLES),
                GatewaySignature.sign(SECRET, QUERY, Map.of("id", "VXNlcjoy"))}) {
            HttpResponse<String> response = graphQl(signature);

            assertThat(response.body()).as(String.valueOf(signature))
                    .contains("\"code\":\"FORBIDDEN\"", "GraphQL is served through the gateway only.").doesNotContain("\"data\"");
        }
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() throws Exception {
        HttpResponse<String> health = get(managementPort, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"db\"");
        assertThat(get(managementPort, "/actuator/prometheus").body()).contains("graphql_request");

        for (String path : new String[]{"/actuator/health", "/actuator/prometheus", "/actuator", "/actuator/health/liveness"}) {
            assertThat(get(port, path).statusCode()).as(path).isIn(401, 403, 404);
        }
    }

    private HttpResponse<String> graphQl(String signature) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", QUERY);
        body.put("variables", VARIABLES);
        if (signature != null) {
            body.put("extensions", Map.of(GatewaySignature.EXTENSION, signature));
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
