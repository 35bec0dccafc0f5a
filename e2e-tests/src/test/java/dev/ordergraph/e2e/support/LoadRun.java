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
 * A load on one request, for a fixed time after a warm-up, every latency recorded (exact percentiles).
 * <ul>
 * <li>{@link #atRate}: an open loop, as independent users make requests. Requests are scheduled at a
 * fixed rate, each sent on a thread of its own at its intended start, and its latency counts from that
 * intended start: a stall of the system counts against every request that should have started during
 * it, not only the one that was waiting (no coordinated omission).</li>
 * <li>{@link #run}: a closed loop, {@code concurrency} clients each sending the next request when the
 * previous one is answered. Its latencies understate a stall (the clients wait instead of sending), so
 * use it only to compare one client's latency with and without other load; the rate it reaches is
 * what the system answers at that concurrency.</li>
 * </ul>
 */
public final class LoadRun {

    /**
     * The figures of one measured window. {@code load} says how the load was made ({@code 50/s} or
     * {@code c=32}); {@code seconds} runs from the first (intended) start to the last answer.
     */
    public record Result(String name, String load, long requests, long failures, double seconds,
                         double p50Millis, double p90Millis, double p99Millis, double maxMillis) {

        /** Requests answered per second over the window: below the scheduled rate when the system fell behind. */
        public double requestsPerSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return "%-44s %-6s %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d requests, %d failed)"
                    .formatted(name, load, requestsPerSecond(), p50Millis, p90Millis, p99Millis, maxMillis, requests, failures);
        }
    }

    private LoadRun() {
    }

    /**
     * Starts {@code request} (true when the answer is right) {@code perSecond} times a second, for
     * {@code warmup} not measured, then for {@code measure}; waits for every answer and returns the
     * figures of the measured ones, each latency from the request's intended start.
     */
    public static Result atRate(String name, int perSecond, Duration warmup, Duration measure, Supplier<Boolean> request) {
        schedule(perSecond, warmup, request);
        long[][] outcome = schedule(perSecond, measure, request);
        long first = outcome[0][0];
        long lastAnswer = Arrays.stream(outcome[2]).max().orElse(first);
        long[] latencies = outcome[1].clone();
        Arrays.sort(latencies);
        long failures = Arrays.stream(outcome[3]).sum();
        return result(name, perSecond + "/s", latencies, failures, (lastAnswer - first) / 1e9);
    }

    /**
     * One scheduled window: request {@code i} is due at {@code start + i / perSecond} and sent on a new
     * virtual thread then (or at once, if the scheduler itself is late: its latency still counts from
     * when it was due). Returns {first intended start}, each latency, each answer's time, each failure (0/1).
     */
    private static long[][] schedule(int perSecond, Duration duration, Supplier<Boolean> request) {
        long interval = 1_000_000_000L / perSecond;
        int count = (int) Math.max(1, duration.toNanos() / interval);
        long[] latencies = new long[count];
        long[] answered = new long[count];
        long[] failed = new long[count];
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long intended = start + i * interval;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int index = i;
                sent.add(senders.submit(() -> {
                    boolean ok;
                    try {
                        ok = request.get();
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    long now = System.nanoTime();
                    latencies[index] = now - intended;
                    answered[index] = now;
                    failed[index] = ok ? 0 : 1;
                }));
            }
            for (Future<?> future : sent) {
                future.get(); // also publishes the task's writes to this thread
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new long[][] {{start}, latencies, answered, failed};
    }

    /** Runs {@code request} (true when the answer is right) in a closed loop of {@code concurrency} clients and returns the figures. */
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
        return result(name, "c=" + concurrency, all, failures.get(), seconds);
    }

    private static Result result(String name, String load, long[] sorted, long failures, double seconds) {
        return new Result(name, load, sorted.length, failures, seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
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
