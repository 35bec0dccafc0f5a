package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.TestData;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Making sure subscriptions are live end to end before a benchmark measures them. */
final class Probes {

    private Probes() {
    }

    /**
     * Commits a probe order until it reaches every client, dropping what came before it (a replica still
     * reading the topic's tail delivers changes committed just before the subscription), then lets late
     * probes arrive.
     */
    static void awaitLive(List<GraphQlWsClient> clients, Supplier<Long> probe) {
        for (int attempt = 0; attempt < 30; attempt++) {
            String id = TestData.globalId("Order", probe.get());
            boolean all = true;
            for (GraphQlWsClient client : clients) {
                all &= reached(client, id, Duration.ofSeconds(5));
            }
            if (all) {
                ServiceProcess.sleep(1000);
                clients.forEach(client -> {
                    while (client.poll(Duration.ZERO) != null) {
                        // a probe from an earlier attempt
                    }
                });
                return;
            }
        }
        throw new AssertionError("Not every subscription went live");
    }

    /** Reads {@code client} until a message mentions {@code orderId}, for {@code timeout} at most. */
    private static boolean reached(GraphQlWsClient client, String orderId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode message;
        while ((message = client.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null) {
            if (message.toString().contains(orderId)) {
                return true;
            }
        }
        return false;
    }
}
