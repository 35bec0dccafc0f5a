package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Zipkin server (scripts/zipkin.sh, its jar from Maven Central) that traced processes export to,
 * and what it holds, read through its API.
 */
public final class Zipkin implements AutoCloseable {

    private final Path dir;
    private final int port;

    private Zipkin(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static Zipkin start(int port) {
        Zipkin zipkin = new Zipkin(Path.of("e2e-tests/target/zipkin-" + port), port);
        zipkin.script("start");
        return zipkin;
    }

    /**
     * The variables that make a service or gateway export its spans here, at once: batches every 100 ms,
     * so that a test finds them soon.
     */
    public Map<String, String> exportHere() {
        Map<String, String> env = new HashMap<>(exportTo(port));
        env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
        return env;
    }

    /** The variables that make a process export its spans to a server on {@code port}, batched as by default (every 5 s). */
    static Map<String, String> exportTo(int port) {
        return Map.of("OTEL_TRACES_EXPORTER", "zipkin",
                "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:" + port + "/api/v2/spans");
    }

    /** A span as Zipkin holds it. */
    public record Span(String traceId, String id, String parentId, String name, String kind, String service, JsonNode tags) {
        static Span of(JsonNode json) {
            return new Span(json.path("traceId").asString(), json.path("id").asString(),
                    json.path("parentId").isMissingNode() ? null : json.path("parentId").asString(),
                    json.path("name").asString(), json.path("kind").asString(null),
                    json.path("localEndpoint").path("serviceName").asString(), json.path("tags"));
        }
    }

    /** The spans of trace {@code traceId}, once {@code complete} holds for them (exports arrive in batches). */
    public List<Span> awaitTrace(String traceId, Predicate<List<Span>> complete, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Span> spans = List.of();
        while (System.nanoTime() < deadline) {
            spans = trace(traceId);
            if (complete.test(spans)) {
                return spans;
            }
            ServiceProcess.sleep(200);
        }
        throw new AssertionError("trace " + traceId + " incomplete after " + timeout + ": " + spans);
    }

    public List<Span> trace(String traceId) {
        GraphQlClient.Response response = new GraphQlClient(URI.create("http://127.0.0.1:" + port + "/api/v2/trace/" + traceId), null).get();
        List<Span> spans = new ArrayList<>();
        if (response.status() == 200) {
            response.json().forEach(span -> spans.add(Span.of(span)));
        }
        return spans;
    }

    /** Every span named {@code name} that {@code service} has exported (Zipkin's search, the last day). */
    public List<Span> spans(String service, String name) {
        GraphQlClient.Response response = new GraphQlClient(URI.create("http://127.0.0.1:" + port
                + "/api/v2/traces?limit=10000&serviceName=" + service + "&spanName=" + name), null).get();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Span> spans = new ArrayList<>();
        response.json().forEach(trace -> trace.forEach(json -> {
            Span span = Span.of(json);
            if (span.service().equals(service) && span.name().equals(name)) {
                spans.add(span);
            }
        }));
        return spans;
    }

    @Override
    public void close() {
        script("stop");
    }

    private void script(String action) {
        try {
            Process process = new ProcessBuilder("bash", "scripts/zipkin.sh", action, dir.toString(), String.valueOf(port))
                    .directory(Stack.repoRoot().toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("scripts/zipkin.sh " + action + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
