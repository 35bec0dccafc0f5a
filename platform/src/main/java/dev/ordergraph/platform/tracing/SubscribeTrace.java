package dev.ordergraph.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Continues the trace of an operation that comes over WebSocket with its trace context in
 * {@code extensions.traceparent}: how a gateway's subscription on a shared connection carries its own
 * (over HTTP the {@code traceparent} header does, and Spring's HTTP observation reads it). The operation's
 * start, until its response (for a subscription: its stream) is set up, is a span,
 * {@code graphql.websocket.operation}, under that context. Its events are traced by {@link EventTrace}'s
 * callers, under the change they carry.
 */
class SubscribeTrace implements WebGraphQlInterceptor {

    static final String NAME = "graphql.websocket.operation";

    private final ObservationRegistry registry;

    SubscribeTrace(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!(request instanceof WebSocketGraphQlRequest) || !(request.getExtensions().get(TraceParent.HEADER) instanceof String)) {
            return chain.next(request);
        }
        Observation observation = Observation.createNotStarted(NAME, () -> {
            ReceiverContext<Map<String, Object>> context = new ReceiverContext<>((carrier, key) ->
                    carrier.get(key) instanceof String value ? value : null);
            context.setCarrier(request.getExtensions());
            return context;
        }, registry).start();
        return chain.next(request)
                .doOnError(observation::error)
                .doFinally(signal -> observation.stop());
    }
}
