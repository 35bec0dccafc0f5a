package dev.ordergraph.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop load: {@code concurrency} clients each send the next request as soon as the previous
 * one is answered, for a fixed time after a warm-up. Records every latency, so the percentiles are
 * exact rather than estimated.
 */
public final class LoadRun {

    public record Result(String name, int concurrency, long requests, long failures, double seconds,
                         double p50Millis, double p90Millis, double p99Millis, double maxMillis) {

        public double requestsPerSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return "%-44s c=%-3d %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d requests, %d failed)"
                    .formatted(name, concurrency, requestsPerSecond(), p50Millis, p90Millis, p99Millis, maxMillis, requests, failures);
        }
    }

    private LoadRun() {
    }

    /** Runs {@code request} (true when the answer is right) under load and returns the figures. */
    public static Result run(String name, int concurrency, Duration warmup, Duration measure, Supplier<Boolean> request) {
        loop(concurrency, warmup, request, null);
        List<long[]> perClient = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        loop(concurrency, measure, () -> {
            boolean ok = request.get();
            if (!ok) {
                failures.incrementAndGet();
            }
            return ok;
        }, perClient);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(name, concurrency, all.length, failures.get(), seconds,
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static void loop(int concurrency, Duration duration, Supplier<Boolean> request, List<long[]> sink) {
        long end = System.nanoTime() + duration.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                futures.add(clients.submit(() -> {
                    long[] latencies = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        request.get();
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            for (Future<long[]> future : futures) {
                long[] latencies = future.get();
                if (sink != null) {
                    synchronized (sink) {
                        sink.add(latencies);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
