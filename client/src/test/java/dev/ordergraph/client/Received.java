package dev.ordergraph.client;

import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a stream delivers, taken as it arrives (each wait bounded by {@link FakeGateway#WAIT}), and how it
 * ended. It asks for {@code demand} elements at first, and for more on {@link #request}.
 */
final class Received<T> extends BaseSubscriber<T> {

    private final long demand;
    private final BlockingQueue<T> items = new LinkedBlockingQueue<>();
    /** Completes with the stream's error, or with {@code null} when it completed. */
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    private Received(long demand) {
        this.demand = demand;
    }

    /** Everything {@code flux} emits, as soon as it can. */
    static <T> Received<T> from(Flux<T> flux) {
        return from(flux, Long.MAX_VALUE);
    }

    /** What {@code flux} emits, {@code demand} elements at first. */
    static <T> Received<T> from(Flux<T> flux, long demand) {
        Received<T> received = new Received<>(demand);
        flux.subscribe(received);
        return received;
    }

    /** The next {@code count} elements, in order. */
    List<T> next(int count) throws InterruptedException {
        List<T> next = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            T item = items.poll(FakeGateway.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new AssertionError("Got " + next + ", then nothing in " + FakeGateway.WAIT + " (ended: " + ended.getNow(null) + ")");
            }
            next.add(item);
        }
        return next;
    }

    /** The error the stream ended with. */
    Throwable error() throws InterruptedException {
        Throwable error = end();
        if (error == null) {
            throw new AssertionError("The stream completed without an error");
        }
        return error;
    }

    /** How it ended: its error, or {@code null} when it completed. */
    Throwable end() throws InterruptedException {
        try {
            return ended.get(FakeGateway.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("The stream did not end in " + FakeGateway.WAIT);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether it has ended by now. */
    boolean hasEnded() {
        return ended.isDone();
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        request(demand);
    }

    @Override
    protected void hookOnNext(T item) {
        items.add(item);
    }

    @Override
    protected void hookOnComplete() {
        ended.complete(null);
    }

    @Override
    protected void hookOnError(Throwable error) {
        ended.complete(error);
    }
}
