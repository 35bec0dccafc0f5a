package dev.ordergraph.client;

import graphql.ExecutionInput;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for the gateway on a free port of 127.0.0.1, speaking what the client speaks to it: GraphQL
 * over HTTP POST, and graphql-transport-ws over a WebSocket on the same URL (the client derives its
 * WebSocket URL from the HTTP one, so both must share a port: hence one reactor-netty server rather than
 * the JDK's HTTP server, which has no WebSocket). Each operation is validated against the public API schema
 * ({@code schema/api.graphql}) and refused with {@code GRAPHQL_VALIDATION_FAILED} like the gateway would,
 * so a projection that drifts from the schema fails here. What it answers is the test's: HTTP answers
 * from {@link #answerHttp}, and each subscription is handed to the test ({@link #takeSubscription}), which
 * sends it messages, completes it or closes its connection, in the gateway's shapes.
 */
final class FakeGateway implements AutoCloseable {

    /** How long the test waits for the client to do something; nothing waits this long when all is well. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final String PATH = "/graphql";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> VARIABLES = new TypeReference<>() {
    };
    private static final GraphQLSchema API = UnExecutableSchemaGenerator.makeUnExecutableSchema(
            new SchemaParser().parse(Path.of(System.getProperty("ordergraph.api-schema", "../schema/api.graphql")).toFile()));

    private final DisposableServer server;
    private final BlockingQueue<Request> httpRequests = new LinkedBlockingQueue<>();
    private final BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<Request, String> httpAnswers = request -> {
        throw new AssertionError("No HTTP answer set for " + request.query());
    };

    private FakeGateway() {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes
                        .post(PATH, (request, response) -> request.receive().aggregate().asString()
                                .map(body -> answer(request.requestHeaders().get("Authorization"), JSON.readTree(body)))
                                .flatMap(answer -> response
                                        // As the gateway answers: status 200 also with errors (see viewer-scope.ts).
                                        .header("Content-Type", "application/graphql-response+json; charset=utf-8")
                                        .sendString(Mono.just(answer)).then()))
                        .ws(PATH, this::webSocket, WebsocketServerSpec.builder().protocols("graphql-transport-ws").build()))
                .bindNow();
    }

    static FakeGateway start() {
        return new FakeGateway();
    }

    /** The URL to give {@link OrderGraphClient#connect}. */
    URI graphqlUrl() {
        return URI.create("http://127.0.0.1:" + server.port() + PATH);
    }

    /** How HTTP requests are answered from now on: the JSON body of the response. */
    void answerHttp(Function<Request, String> answers) {
        this.httpAnswers = answers;
    }

    /** The next HTTP request the client sent. */
    Request takeHttpRequest() throws InterruptedException {
        return awaited(httpRequests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "an HTTP request");
    }

    /** The next subscription the client started, on whichever WebSocket connection. */
    Subscription takeSubscription() throws InterruptedException {
        return awaited(subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "a subscription");
    }

    @Override
    public void close() {
        server.disposeNow(WAIT);
    }

    private String answer(String authorization, JsonNode body) {
        Map<String, Object> variables = variables(body);
        ParseAndValidateResult parsed = parsed(body.path("query").asString(), variables);
        if (parsed.isFailure()) {
            return JSON.writeValueAsString(Map.of("errors", validationErrors(parsed)));
        }
        Request request = Request.of(authorization, body.path("query").asString(), parsed, variables);
        httpRequests.add(request);
        return httpAnswers.apply(request);
    }

    private Mono<Void> webSocket(WebsocketInbound in, WebsocketOutbound out) {
        Socket socket = new Socket(connections.incrementAndGet(), out);
        in.withConnection(connection -> socket.channel = connection.channel());
        return in.receive().asString().doOnNext(socket::received).then(); // open until the client closes it
    }

    private static Map<String, Object> variables(JsonNode operation) {
        return operation.path("variables").isObject() ? JSON.convertValue(operation.path("variables"), VARIABLES) : Map.of();
    }

    private static ParseAndValidateResult parsed(String query, Map<String, Object> variables) {
        return ParseAndValidate.parseAndValidate(API, ExecutionInput.newExecutionInput(query).variables(variables).build());
    }

    private static List<Map<String, Object>> validationErrors(ParseAndValidateResult parsed) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (parsed.getSyntaxException() != null) {
            errors.add(Map.of("message", parsed.getSyntaxException().getMessage(), "extensions", Map.of("code", "GRAPHQL_PARSE_FAILED")));
        }
        parsed.getValidationErrors().forEach(error -> errors.add(
                Map.of("message", error.getMessage(), "extensions", Map.of("code", "GRAPHQL_VALIDATION_FAILED"))));
        return errors;
    }

    private static <T> T awaited(T value, String what) {
        if (value == null) {
            throw new AssertionError("The client sent no " + what + " in " + WAIT);
        }
        return value;
    }

    /**
     * An operation as the gateway received it: the bearer token it came with (over a WebSocket, the one of
     * its connection's {@code connection_init}), its root field's name and arguments, read from the
     * document (the codegen request writer puts arguments inline) or from its variables, and what it selects
     * under the root field, as dotted paths of every field in document order ({@code order.user.username}).
     */
    record Request(String authorization, String query, String field, Map<String, Object> arguments, List<String> selected) {

        static Request of(String authorization, String query, ParseAndValidateResult parsed, Map<String, Object> variables) {
            OperationDefinition operation = parsed.getDocument().getFirstDefinitionOfType(OperationDefinition.class).orElseThrow();
            Field root = operation.getSelectionSet().getSelectionsOfType(Field.class).getFirst();
            Map<String, Object> arguments = new LinkedHashMap<>();
            for (Argument argument : root.getArguments()) {
                arguments.put(argument.getName(), plain(argument.getValue(), variables));
            }
            List<String> selected = new ArrayList<>();
            addSelected(root, "", selected);
            return new Request(authorization, query, root.getName(), arguments, List.copyOf(selected));
        }

        private static void addSelected(Field parent, String prefix, List<String> selected) {
            if (parent.getSelectionSet() == null) {
                return;
            }
            for (Field field : parent.getSelectionSet().getSelectionsOfType(Field.class)) {
                String path = prefix + field.getName();
                selected.add(path);
                addSelected(field, path + ".", selected);
            }
        }

        /** The bearer token without {@code Bearer }, {@code null} without one. */
        String token() {
            return authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
        }

        /** An argument as plain Java (strings, integers, enum names, maps, lists), {@code null} when absent or null. */
        Object argument(String name) {
            return arguments.get(name);
        }

        private static Object plain(Value<?> value, Map<String, Object> variables) {
            return switch (value) {
                case StringValue string -> string.getValue();
                case IntValue integer -> integer.getValue().intValueExact();
                case BooleanValue bool -> bool.isValue();
                case EnumValue enumValue -> enumValue.getName();
                case VariableReference variable -> variables.get(variable.getName());
                case ArrayValue array -> array.getValues().stream().map(v -> plain(v, variables)).toList();
                case ObjectValue object -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    object.getObjectFields().forEach(field -> fields.put(field.getName(), plain(field.getValue(), variables)));
                    yield fields;
                }
                default -> null; // NullValue, and nothing else the client writes
            };
        }
    }

    /** A subscription the client started: the test answers it. */
    final class Subscription {

        private final Socket socket;
        private final String id;
        private final Request request;
        private final CountDownLatch cancelled = new CountDownLatch(1);

        private Subscription(Socket socket, String id, Request request) {
            this.socket = socket;
            this.id = id;
            this.request = request;
        }

        Request request() {
            return request;
        }

        /** Which WebSocket connection of the client it came on: 1 for the first one opened, and so on. */
        int connection() {
            return socket.number;
        }

        /** Sends a graphql-ws {@code next} message with {@code result} (a GraphQL result: data, errors). */
        Subscription next(String result) {
            socket.send(message("next").set("payload", JSON.readTree(result)));
            return this;
        }

        /** Sends a graphql-ws {@code error} message: {@code errors} is the JSON array of GraphQL errors. */
        void error(String errors) {
            socket.send(message("error").set("payload", JSON.readTree(errors)));
        }

        /** Sends {@code complete}: the server ends the subscription. */
        void complete() {
            socket.send(message("complete"));
        }

        /** Closes the whole WebSocket connection from the server's side, as a gateway going away does. */
        void closeConnection(int code, String reason) {
            socket.close(code, reason);
        }

        /** Whether the client sent {@code complete} for it (it unsubscribed) within {@link #WAIT}. */
        boolean awaitCancelled() throws InterruptedException {
            return cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        private ObjectNode message(String type) {
            return JSON.createObjectNode().put("id", id).put("type", type);
        }
    }

    /** One WebSocket connection of the client. */
    private final class Socket {

        final WebsocketOutbound out;
        final Map<String, Subscription> active = new LinkedHashMap<>();
        final int number;
        volatile Channel channel;
        volatile String authorization;

        Socket(int number, WebsocketOutbound out) {
            this.number = number;
            this.out = out;
        }

        void received(String text) {
            JsonNode message = JSON.readTree(text);
            String id = message.path("id").asString(null);
            switch (message.path("type").asString()) {
                case "connection_init" -> {
                    authorization = message.path("payload").path("Authorization").asString(null);
                    send(JSON.createObjectNode().put("type", "connection_ack"));
                }
                case "ping" -> send(JSON.createObjectNode().put("type", "pong"));
                case "subscribe" -> subscribe(id, message.path("payload"));
                case "complete" -> {
                    Subscription ended = active.remove(id);
                    if (ended != null) {
                        ended.cancelled.countDown();
                    }
                }
                default -> { // pong: nothing to do
                }
            }
        }

        private void subscribe(String id, JsonNode payload) {
            Map<String, Object> variables = variables(payload);
            ParseAndValidateResult parsed = parsed(payload.path("query").asString(), variables);
            if (parsed.isFailure()) {
                send(JSON.createObjectNode().put("id", id).put("type", "error").set("payload", JSON.valueToTree(validationErrors(parsed))));
                return;
            }
            Subscription subscription = new Subscription(this, id, Request.of(authorization, payload.path("query").asString(), parsed, variables));
            active.put(id, subscription);
            subscriptions.add(subscription);
        }

        /** Sends {@code message} at once; once the connection is closed it is lost, as on a real network. */
        synchronized void send(JsonNode message) {
            channel.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(message)));
        }

        synchronized void close(int code, String reason) {
            out.sendClose(code, reason).subscribe(done -> { }, error -> { });
        }
    }
}
