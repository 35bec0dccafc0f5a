package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One subscription over Server-Sent Events, as a browser's EventSource-like client or {@code curl -N}
 * opens it: {@code POST} with {@code Accept: text/event-stream}. Each {@code next} event's payload and a
 * final {@code complete} are queued for the test to read; {@link #close()} aborts the request.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** What {@link #poll} returns once the server ended the stream. */
    public static final String COMPLETE = "complete";

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final int status;
    private final InputStream body;
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Opens the subscription and returns once the response's headers have arrived. */
    public static SseClient subscribe(URI url, String token, String query, Map<String, ?> variables) {
        return subscribe(url, token, query, variables, Map.of());
    }

    /** As {@link #subscribe(URI, String, String, Map)}, with these request {@code headers} too (e.g. a traceparent). */
    public static SseClient subscribe(URI url, String token, String query, Map<String, ?> variables, Map<String, String> headers) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", query);
        request.put("variables", variables);
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GraphQlClient.JSON.writeValueAsString(request)));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        try {
            return new SseClient(HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return status;
    }

    /**
     * The next event's payload ({@code {"data": ...}} or {@code {"errors": [...]}}), a text node
     * {@value #COMPLETE} once the stream has ended, or {@code null} after {@code timeout}.
     */
    public JsonNode poll(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = "message";
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String data = line.substring(5).trim();
                    if (!data.isEmpty()) {
                        events.add(GraphQlClient.JSON.readTree(data));
                    }
                } else if (line.isEmpty()) {
                    if (event.equals(COMPLETE)) {
                        break;
                    }
                    event = "message";
                }
            }
        } catch (IOException e) {
            // aborted by close(), or the server went away: the stream has ended either way
        }
        events.add(GraphQlClient.JSON.getNodeFactory().textNode(COMPLETE));
    }

    /** Aborts the request, as a browser tab that closes. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
