package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import static dev.ordergraph.e2e.bench.PacedUpdates.ms;

/** When one change reached each of many subscribers: from its statement to the first, the median, p99 and the last. */
record FanOut(long[] sorted) {

    /**
     * Reads each client until a {@code next} message whose {@code data} shows the change ({@code changed}),
     * and returns the arrivals counted from {@code sent} ({@link System#nanoTime} just before the statement
     * was sent). An arrival before {@code sent} is a broken measurement: it fails.
     */
    static FanOut read(List<GraphQlWsClient> clients, long sent, Predicate<JsonNode> changed) {
        long[] at = new long[clients.size()];
        for (int i = 0; i < at.length; i++) {
            GraphQlWsClient client = clients.get(i);
            JsonNode data;
            do {
                data = client.awaitData(1, Duration.ofSeconds(120)).getFirst();
            } while (!changed.test(data));
            long arrived = client.lastArrival(); // when it arrived, not when we looked
            if (arrived < sent) {
                throw new AssertionError("subscriber %d had the change %.3f ms before its statement was sent: the measurement is wrong"
                        .formatted(i, (sent - arrived) / 1e6));
            }
            at[i] = arrived - sent;
        }
        Arrays.sort(at);
        return new FanOut(at);
    }

    double allMillis() {
        return sorted[sorted.length - 1] / 1e6;
    }

    @Override
    public String toString() {
        return "first %.0f ms, p50 %.0f ms, p99 %.0f ms, all %.0f ms".formatted(sorted[0] / 1e6, ms(sorted, 0.5), ms(sorted, 0.99), allMillis());
    }
}
