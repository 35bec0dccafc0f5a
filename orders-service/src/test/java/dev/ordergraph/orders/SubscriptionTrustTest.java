package dev.ordergraph.orders;

import dev.ordergraph.platform.gateway.GatewaySignature;
import dev.ordergraph.platform.testing.TestDatabase;
import dev.ordergraph.platform.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions over the real transports: only a gateway may open one, and one lives no longer than its token,
 * over a client's own WebSocket, on the gateway's shared connection (token per subscription) and over SSE.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "ordergraph.cdc.enabled=false",
        "ordergraph.gateway.hmac-secret=" + SubscriptionTrustTest.SECRET, "ordergraph.gateway.allow-unsigned=false"})
@ContextConfiguration(initializers = TestDatabase.class)
@DirtiesContext
class SubscriptionTrustTest {

    static final String SECRET = "subscription-trust-test-secret-0123456789";
    private static final String SUBSCRIPTION = "subscription { orderChanges { cursor } }";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void aSubscriptionTheGatewayDidNotSignIsRefused() throws Exception {
        try (Connection ws = connect(Map.of("Authorization", Tokens.bearer(2, false)))) {
            ws.send(subscribe(Map.of()));

            // As any request refused before execution: its errors, no data, and the end of it.
            Map<String, Object> refused = ws.next();
            assertThat(refused).containsEntry("type", "next");
            assertThat(refused.get("payload")).asString().contains("FORBIDDEN", "GraphQL is served through the gateway only.").doesNotContain("data");
            assertThat(ws.next()).containsEntry("type", "complete");
        }
    }

    @Test
    void onAClientsOwnConnectionTheSubscriptionEndsWhenTheConnectionsTokenExpires() throws Exception {
        try (Connection ws = connect(Map.of("Authorization", "Bearer " + tokenExpiringIn(Duration.ofSeconds(3))))) {
            ws.send(subscribe(Map.of(GatewaySignature.EXTENSION, GatewaySignature.sign(SECRET, SUBSCRIPTION, null))));

            endsWithTokenExpired(ws);
        }
    }

    @Test
    void onTheGatewaysSharedConnectionTheSubscriptionEndsWhenItsOwnTokenExpires() throws Exception {
        try (Connection ws = connect(Map.of())) {
            ws.send(subscribe(Map.of("authorization", "Bearer " + tokenExpiringIn(Duration.ofSeconds(3)),
                    GatewaySignature.EXTENSION, GatewaySignature.sign(SECRET, SUBSCRIPTION, null))));

            endsWithTokenExpired(ws);
        }
    }

    @Test
    void overSseTheSubscriptionEndsWhenTheTokenExpires() throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", SUBSCRIPTION,
                "extensions", Map.of(GatewaySignature.EXTENSION, GatewaySignature.sign(SECRET, SUBSCRIPTION, null))));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + tokenExpiringIn(Duration.ofSeconds(3)))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        // The stream ends by itself: one event with the error, then complete.
        assertThat(response.body()).contains("event:next", "TOKEN_EXPIRED", "event:complete");
        assertThat(response.body().split("event:next", -1)).hasSize(2);
    }

    private static void endsWithTokenExpired(Connection ws) throws Exception {
        Map<String, Object> last = ws.next();
        assertThat(last).containsEntry("type", "next");
        assertThat(last.get("payload")).asString().contains("TOKEN_EXPIRED", "Your token expired");
        assertThat(ws.next()).containsEntry("type", "complete");
    }

    private static String tokenExpiringIn(Duration lifetime) {
        return Tokens.token(2, false, claims -> claims.expirationTime(Date.from(Instant.now().plus(lifetime))));
    }

    private static String subscribe(Map<String, Object> extensions) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("query", SUBSCRIPTION);
        payload.put("extensions", extensions);
        return JSON.writeValueAsString(Map.of("id", "1", "type", "subscribe", "payload", payload));
    }

    private Connection connect(Map<String, Object> init) throws Exception {
        Connection connection = new Connection();
        connection.socket = HTTP.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), connection).get(10, TimeUnit.SECONDS);
        connection.send(JSON.writeValueAsString(Map.of("type", "connection_init", "payload", init)));
        assertThat(connection.next()).containsEntry("type", "connection_ack");
        return connection;
    }

    /** A graphql-transport-ws client, just enough to read what comes back. */
    private static final class Connection implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        void send(String message) {
            socket.sendText(message, true).join();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> next() throws InterruptedException {
            String message = messages.poll(15, TimeUnit.SECONDS);
            assertThat(message).as("a message within 15 s").isNotNull();
            return JSON.readValue(message, Map.class);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

}
