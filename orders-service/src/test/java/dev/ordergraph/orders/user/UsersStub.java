package dev.ordergraph.orders.user;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ordergraph.platform.gateway.GatewaySignature;
import dev.ordergraph.platform.relay.GlobalId;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The users subgraph as far as orders-service asks it: {@code _entities} for users by key. Knows a fixed set of
 * users, checks the gateway signature the way the real one does, and can be told to be slow or broken.
 */
public final class UsersStub implements AutoCloseable {

    public enum Mode { ANSWER, SLOW, BROKEN, FAILING }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Set<Long> users;
    private final GatewaySignature signature;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ANSWER);

    public UsersStub(String secret, Set<Long> users) throws IOException {
        this.users = users;
        this.signature = new GatewaySignature(secret);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/graphql", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
    }

    public int requests() {
        return requests.get();
    }

    public void mode(Mode mode) {
        this.mode.set(mode);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Map<String, Object> body = JSON.readValue(exchange.getRequestBody(), Map.class);
        String answer;
        switch (mode.get()) {
            case SLOW -> {
                sleep(Duration.ofSeconds(3));
                answer = "{\"data\":{\"_entities\":[null]}}";
            }
            case BROKEN -> {
                respond(exchange, 502, "<html>Bad gateway</html>");
                return;
            }
            case FAILING -> answer = "{\"data\":{\"_entities\":[null]},\"errors\":[{\"message\":\"The service cannot reach its database\","
                    + "\"path\":[\"_entities\",0],\"extensions\":{\"code\":\"SERVICE_UNAVAILABLE\"}}]}";
            default -> {
                String query = (String) body.get("query");
                Map<String, Object> variables = (Map<String, Object>) body.get("variables");
                Map<String, Object> extensions = (Map<String, Object>) body.getOrDefault("extensions", Map.of());
                if (!signature.verifies(query, variables, extensions.get(GatewaySignature.EXTENSION))) {
                    answer = "{\"errors\":[{\"message\":\"GraphQL is served through the gateway only.\",\"extensions\":{\"code\":\"FORBIDDEN\"}}]}";
                } else {
                    List<Object> entities = ((List<Map<String, Object>>) variables.get("r")).stream()
                            .map(r -> (Object) (users.contains(GlobalId.decode((String) r.get("id"), "User")) ? Map.of("id", r.get("id")) : null))
                            .toList();
                    answer = JSON.writeValueAsString(Map.of("data", Map.of("_entities", entities)));
                }
            }
        }
        respond(exchange, 200, answer);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
