package dev.ordergraph.platform.security;

import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.errors.GraphQlErrors;
import graphql.ExecutionResult;
import org.reactivestreams.Publisher;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A subscription lives no longer than the token it was opened with. At the token's {@code exp} the stream of
 * results is cut, the subscriber gets one last result holding one {@code TOKEN_EXPIRED} error, and the stream
 * completes. An event that would go out at or after {@code exp} is dropped, so nothing committed after the
 * expiry reaches a viewer whose right to see it has lapsed. Done once, on the stream of results every
 * subscription field produces, over WebSocket and SSE alike; queries and mutations are untouched (their token
 * was valid when they were asked).
 */
final class TokenLifetime {

    static final String CURSOR = "cursor";

    private final Scheduler scheduler;

    TokenLifetime(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    TokenLifetime() {
        this(Schedulers.parallel());
    }

    /** {@code response}, its subscription (if it is one) ending when the token expires at {@code expiresAt}. */
    WebGraphQlResponse limit(WebGraphQlResponse response, Instant expiresAt) {
        if (!(response.getExecutionResult().getData() instanceof Publisher<?> events)) {
            return response;
        }
        @SuppressWarnings("unchecked")
        Publisher<ExecutionResult> results = (Publisher<ExecutionResult>) events;
        return response.transform(builder -> builder.data(until(results, expiresAt)));
    }

    Flux<ExecutionResult> until(Publisher<ExecutionResult> results, Instant expiresAt) {
        return Flux.defer(() -> {
            AtomicBoolean expired = new AtomicBoolean();
            AtomicReference<String> lastCursor = new AtomicReference<>();
            Mono<Long> expiry = Mono.delay(durationUntil(expiresAt), scheduler).doOnNext(tick -> expired.set(true));
            return Flux.from(results)
                    .takeUntilOther(expiry)
                    // The timer may fire a little late: an event arriving after exp goes no further.
                    .takeWhile(result -> {
                        boolean live = now().isBefore(expiresAt);
                        if (!live) {
                            expired.set(true);
                        }
                        return live;
                    })
                    .doOnNext(result -> remember(result, lastCursor))
                    .concatWith(Mono.fromSupplier(() -> expired.get() ? expiredResult(lastCursor.get()) : null));
        });
    }

    /** Whether a token expiring at {@code expiresAt} ({@code null}: never) has expired. */
    boolean hasPassed(Instant expiresAt) {
        return expiresAt != null && !now().isBefore(expiresAt);
    }

    private Duration durationUntil(Instant expiresAt) {
        Duration left = Duration.between(now(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private Instant now() {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }

    /** The cursor of the last event, if the subscription selects one ({@code orderChanges { cursor }}): where to resume. */
    private static void remember(ExecutionResult result, AtomicReference<String> lastCursor) {
        if (result.getData() instanceof Map<?, ?> data) {
            for (Object field : data.values()) {
                if (field instanceof Map<?, ?> event && event.get(CURSOR) instanceof String cursor) {
                    lastCursor.set(cursor);
                }
            }
        }
    }

    static ExecutionResult expiredResult(String lastCursor) {
        String message = lastCursor == null
                ? "Your token expired; renew it and subscribe again with after: the cursor of the last change you received."
                : "Your token expired; renew it and subscribe again with after: " + lastCursor + ".";
        return ExecutionResult.newExecutionResult()
                .addError(GraphQlErrors.error(ErrorCode.TOKEN_EXPIRED, message, null))
                .build();
    }
}
