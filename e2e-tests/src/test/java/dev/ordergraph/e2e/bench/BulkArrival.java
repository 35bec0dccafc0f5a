package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How one bulk statement's changes reached a staff subscriber (with {@code user { username email }}):
 * commit to the last row's change, in how many messages, the largest of them.
 */
record BulkArrival(double ms, int messages, int largest) {

    /**
     * Reads {@code client}'s {@code field} (a batch or a per-change subscription) until each of {@code rows}
     * rows has arrived once, in {@code state}; {@code committed} is when the statement returned ({@link System#nanoTime}).
     */
    static BulkArrival read(GraphQlWsClient client, String field, int rows, String state, long committed) {
        Set<String> seen = new HashSet<>();
        int messages = 0;
        int largest = 0;
        while (seen.size() < rows) {
            JsonNode data = client.awaitData(1, Duration.ofSeconds(180)).getFirst().path(field);
            List<JsonNode> changes = new ArrayList<>();
            if (data.has("changes")) {
                data.path("changes").forEach(changes::add);
            } else {
                changes.add(data);
            }
            for (JsonNode change : changes) {
                assertThat(change.path("order").path("state").asString()).isEqualTo(state);
                assertThat(change.path("order").path("user").path("email").asString()).isNotEmpty();
                assertThat(seen.add(change.path("order").path("id").asString())).as("each row once").isTrue();
            }
            messages++;
            largest = Math.max(largest, changes.size());
        }
        client.assertNothingFor(Duration.ofMillis(500));
        return new BulkArrival((client.lastArrival() - committed) / 1e6, messages, largest);
    }
}
