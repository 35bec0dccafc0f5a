package dev.ordergraph.platform.security;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenLifetimeTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final TokenLifetime lifetime = new TokenLifetime(clock);

    @Test
    void atExpiryTheSubscriptionGetsOneTokenExpiredErrorWithTheLastCursorAndCompletes() {
        TestPublisher<ExecutionResult> events = TestPublisher.create();
        Instant expiresAt = now().plusSeconds(60);

        StepVerifier.create(lifetime.until(events, expiresAt))
                .then(() -> events.next(change("c1")))
                .assertNext(result -> assertThat(result.getErrors()).isEmpty())
                .then(() -> clock.advanceTimeBy(Duration.ofSeconds(30)))
                .then(() -> events.next(change("c2")))
                .assertNext(result -> assertThat(result.getErrors()).isEmpty())
                .then(() -> clock.advanceTimeBy(Duration.ofSeconds(30)))
                .assertNext(result -> {
                    assertThat(result.isDataPresent()).isFalse();
                    assertThat(result.getErrors()).singleElement().satisfies(error -> {
                        assertThat(error.getExtensions()).containsEntry("code", "TOKEN_EXPIRED");
                        assertThat(error.getMessage()).isEqualTo("Your token expired; renew it and subscribe again with after: c2.");
                    });
                })
                .verifyComplete();
        events.assertCancelled(); // the feed subscription is released at once
    }

    @Test
    void anEventThatArrivesAfterExpiryIsDroppedEvenIfTheTimerIsLate() {
        LateTimers late = new LateTimers();
        TestPublisher<ExecutionResult> events = TestPublisher.create();
        Instant expiresAt = Instant.ofEpochMilli(late.now.get()).plusSeconds(60);

        StepVerifier.create(new TokenLifetime(late).until(events, expiresAt))
                .then(() -> events.next(change("c1")))
                .assertNext(result -> assertThat(result.getErrors()).isEmpty())
                .then(() -> late.now.addAndGet(60_000)) // exp has come, its timer has not fired
                .then(() -> events.next(change("committed-after-expiry")))
                .assertNext(result -> {
                    isExpired(result);
                    assertThat(result.getErrors().getFirst().getMessage()).contains("after: c1.");
                })
                .verifyComplete();
    }

    /** A scheduler whose clock the test moves and whose timers never fire. */
    private static final class LateTimers implements Scheduler {
        final AtomicLong now = new AtomicLong(1_000_000);

        @Override
        public long now(TimeUnit unit) {
            return unit.convert(now.get(), TimeUnit.MILLISECONDS);
        }

        @Override
        public Disposable schedule(Runnable task) {
            task.run();
            return Disposables.disposed();
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return Disposables.single();
        }

        @Override
        public Worker createWorker() {
            return Schedulers.immediate().createWorker();
        }
    }

    @Test
    void aTokenAlreadyExpiredEndsTheSubscriptionAtOnceWithoutAnyEvent() {
        TestPublisher<ExecutionResult> events = TestPublisher.create();

        StepVerifier.create(lifetime.until(events, now().minusSeconds(5)))
                .then(() -> clock.advanceTimeBy(Duration.ZERO))
                .assertNext(result -> {
                    isExpired(result);
                    assertThat(result.getErrors().getFirst().getMessage()).doesNotContain("null");
                })
                .verifyComplete();
    }

    @Test
    void aSubscriptionThatEndsBeforeExpiryEndsAsItWould() {
        StepVerifier.create(lifetime.until(Flux.just(change("c1")), now().plusSeconds(60)))
                .assertNext(result -> assertThat(result.getErrors()).isEmpty())
                .verifyComplete();
        StepVerifier.create(lifetime.until(Flux.error(new IllegalStateException("slow")), now().plusSeconds(60)))
                .verifyErrorMessage("slow");
    }

    private static void isExpired(ExecutionResult result) {
        assertThat(result.getErrors()).extracting(GraphQLError::getExtensions).containsExactly(Map.of("code", "TOKEN_EXPIRED"));
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
    }

    private static ExecutionResult change(String cursor) {
        return ExecutionResult.newExecutionResult().data(Map.of("orderChanges", Map.of("cursor", cursor, "action", "UPDATED"))).build();
    }
}
