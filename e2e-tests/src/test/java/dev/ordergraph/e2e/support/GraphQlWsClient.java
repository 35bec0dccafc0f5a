package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One graphql-transport-ws connection with one subscription, as Apollo Client or graphql-ws would
 * open it: the token in {@code connection_init}, then {@code subscribe}; {@code next}, {@code error}
 * and {@code complete} messages are queued for the test to read.
 */
public final class GraphQlWsClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    private volatile boolean reading;
    private volatile long firstMessageAt;
    private volatile long lastPolledArrival;
    private WebSocket socket;

    private GraphQlWsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects, waits for {@code connection_ack}, and subscribes. */
    public static GraphQlWsClient subscribe(URI httpUrl, String token, String query, Map<String, ?> variables) {
        return open(httpUrl, token, query, variables, true);
    }

    /**
     * Like {@link #subscribe} but never reads past the first messages: a client whose network or
     * event loop cannot keep up.
     */
    public static GraphQlWsClient subscribeWithoutReading(URI httpUrl, String token, String query, Map<String, ?> variables) {
        return open(httpUrl, token, query, variables, false);
    }

    /**
     * Connects and waits for {@code connection_ack} without subscribing; with a {@code null} token, as
     * the gateway opens the connections its clients share (each subscription then brings its own).
     */
    public static GraphQlWsClient connect(URI httpUrl, String token) {
        return open(httpUrl, token, null, null, true);
    }

    private static GraphQlWsClient open(URI httpUrl, String token, String query, Map<String, ?> variables, boolean reading) {
        GraphQlWsClient client = new GraphQlWsClient(reading);
        URI ws = URI.create(httpUrl.toString().replaceFirst("^http", "ws"));
        client.socket = HTTP.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(ws, client.new Listener()).join();
        Map<String, Object> payload = new LinkedHashMap<>();
        if (token != null) {
            payload.put("Authorization", "Bearer " + token);
        }
        client.send(Map.of("type", "connection_init", "payload", payload));
        try {
            CompletableFuture.anyOf(client.acknowledged, client.closed).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("No connection_ack from " + ws, e);
        }
        if (client.acknowledged.isDone() && query != null) {
            Map<String, Object> subscribePayload = new LinkedHashMap<>();
            subscribePayload.put("query", query);
            subscribePayload.put("variables", variables);
            client.send(Map.of("id", "1", "type", "subscribe", "payload", subscribePayload));
        }
        return client;
    }

    /** One more subscription on this connection, under {@code id} (the first one is {@code "1"}). */
    public void subscribe(String id, String query, Map<String, ?> variables) {
        subscribe(id, query, variables, Map.of());
    }

    /** As {@link #subscribe(String, String, Map)}, with the request's {@code extensions} (e.g. its own token). */
    public void subscribe(String id, String query, Map<String, ?> variables, Map<String, ?> extensions) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("query", query);
        payload.put("variables", variables);
        if (!extensions.isEmpty()) {
            payload.put("extensions", extensions);
        }
        send(Map.of("id", id, "type", "subscribe", "payload", payload));
    }

    /**
     * Sends {@code text} as one message without waiting for it to go out: a server that refuses a large
     * message closes the connection while it is still being sent.
     */
    public CompletableFuture<WebSocket> sendRaw(String text) {
        return socket.sendText(text, true);
    }

    /** Ends the subscription {@code id} from the client's side, leaving the connection open. */
    public void complete(String id) {
        send(Map.of("id", id, "type", "complete"));
    }

    /** A client created without reading starts reading now, to see what the server sent. */
    public void resumeReading() {
        reading = true;
        socket.request(Long.MAX_VALUE);
    }

    /** The next message ({@code next}, {@code error} or {@code complete}), or {@code null} after {@code timeout}. */
    public JsonNode poll(Duration timeout) {
        try {
            Received received = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                return null;
            }
            lastPolledArrival = received.at();
            return received.message();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The payloads' {@code data} of the next {@code count} {@code next} messages; fails on anything else or on time-out. */
    public List<JsonNode> awaitData(int count, Duration timeout) {
        List<JsonNode> data = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (data.size() < count) {
            JsonNode message = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (message == null) {
                throw new AssertionError("Received " + data.size() + " of " + count + " events within " + timeout + ": " + data);
            }
            if (!"next".equals(message.path("type").asString()) || message.path("payload").has("errors")) {
                throw new AssertionError("Expected a next message, got " + message + " after " + data.size() + " events");
            }
            data.add(message.path("payload").path("data"));
        }
        return data;
    }

    /** {@link System#nanoTime()} when the first message after {@code connection_ack} arrived, 0 before. */
    public long firstMessageAt() {
        return firstMessageAt;
    }

    /** {@link System#nanoTime()} when the message last returned by {@link #poll} (or awaited) arrived. */
    public long lastArrival() {
        return lastPolledArrival;
    }

    /**
     * The last message that arrives, waiting up to {@code first} for one and then until nothing more
     * comes for {@code quiet}; {@code null} when none came.
     */
    public JsonNode lastMessage(Duration first, Duration quiet) {
        JsonNode last = null;
        for (JsonNode message = poll(first); message != null; message = poll(quiet)) {
            last = message;
        }
        return last;
    }

    /**
     * The message that ends the subscription ({@code error} or {@code complete}: nothing follows it), waiting
     * up to {@code first} for a message and then until nothing more comes for {@code quiet}; else the last
     * message that came, {@code null} when none came.
     */
    public JsonNode awaitEnd(Duration first, Duration quiet) {
        JsonNode last = null;
        for (JsonNode message = poll(first); message != null; message = poll(quiet)) {
            last = message;
            String type = message.path("type").asString();
            if (type.equals("error") || type.equals("complete")) {
                break;
            }
        }
        return last;
    }

    /** Asserts that nothing arrives for {@code quiet}. */
    public void assertNothingFor(Duration quiet) {
        JsonNode message = poll(quiet);
        if (message != null) {
            throw new AssertionError("Expected no message, got " + message);
        }
    }

    /** The close code once the server closed the connection, or {@code null} if it is still open after {@code timeout}. */
    public Integer closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private void send(Map<String, ?> message) {
        socket.sendText(GraphQlClient.JSON.writeValueAsString(message), true).join();
    }

    private record Received(JsonNode message, long at) {
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = GraphQlClient.JSON.readTree(partial.toString());
                partial.setLength(0);
                switch (message.path("type").asString()) {
                    case "connection_ack" -> acknowledged.complete(null);
                    case "ping" -> webSocket.sendText("{\"type\":\"pong\"}", true);
                    default -> {
                        long now = System.nanoTime();
                        if (firstMessageAt == 0) {
                            firstMessageAt = now;
                        }
                        messages.add(new Received(message, now));
                    }
                }
            }
            if (reading || !acknowledged.isDone()) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
