package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** GraphQL over HTTP POST, as any client sends it. */
public final class GraphQlClient {

    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final URI url;
    private final String token;
    private final Map<String, String> headers;

    public GraphQlClient(URI url, String token) {
        this(url, token, Map.of());
    }

    private GraphQlClient(URI url, String token, Map<String, String> headers) {
        this.url = url;
        this.token = token;
        this.headers = headers;
    }

    public GraphQlClient as(String otherToken) {
        return new GraphQlClient(url, otherToken, headers);
    }

    /** The same client, sending one more request header. */
    public GraphQlClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GraphQlClient(url, token, Map.copyOf(more));
    }

    public Response execute(String query) {
        return execute(query, Map.of());
    }

    public Response execute(String query, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return post(JSON.writeValueAsString(body));
    }

    /**
     * As {@link #execute(String, Map)}, signed as a gateway signs what it sends a subgraph (Hive Gateway's
     * {@code hmacSignature}, with {@code secret}).
     */
    public Response executeSigned(String secret, String query, Map<String, ?> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        body.put("extensions", Map.of(dev.ordergraph.platform.gateway.GatewaySignature.EXTENSION,
                dev.ordergraph.platform.gateway.GatewaySignature.sign(secret, query, variables)));
        return post(JSON.writeValueAsString(body));
    }

    /** A named operation from {@code src/test/resources/graphql/<name>.graphql}. */
    public Response operation(String name, Map<String, ?> variables) {
        return execute(Operations.load(name), variables);
    }

    /** Sends {@code rawBody} as is, e.g. malformed JSON. */
    public Response post(String rawBody) {
        return send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rawBody, StandardCharsets.UTF_8)));
    }

    /** A plain GET of the URL, e.g. an actuator endpoint. */
    public Response get() {
        return send(HttpRequest.newBuilder(url).GET());
    }

    private Response send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30))
                .header("Accept", "application/graphql-response+json, application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().firstValue("Server-Timing").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An HTTP answer; {@link #json()} parses it as a GraphQL response. {@code serverTiming} is the gateway's
     * {@code Server-Timing} header when it sends one (the tests' gateway runs with {@code SERVER_TIMING=true}).
     */
    public record Response(int status, String body, String serverTiming) {

        public Response(int status, String body) {
            this(status, body, null);
        }

        /** A {@code Server-Timing} metric's duration in ms ({@code gateway}, {@code subgraphs}, {@code total}), or NaN. */
        public double timing(String metric) {
            if (serverTiming == null) {
                return Double.NaN;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,\\s*)" + java.util.regex.Pattern.quote(metric) + ";dur=([0-9.]+)")
                    .matcher(serverTiming);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public JsonNode data() {
            return json().path("data");
        }

        public JsonNode errors() {
            return json().path("errors");
        }

        /** The {@code extensions.code} of every error, in order. */
        public java.util.List<String> errorCodes() {
            java.util.List<String> codes = new java.util.ArrayList<>();
            errors().forEach(e -> codes.add(e.path("extensions").path("code").asString()));
            return codes;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Operations kept as .graphql files, like a client keeps them. */
    static final class Operations {
        static String load(String name) {
            try {
                Path dir = Stack.get().root().resolve("e2e-tests/src/test/resources/graphql");
                return Files.readString(dir.resolve(name + ".graphql"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
