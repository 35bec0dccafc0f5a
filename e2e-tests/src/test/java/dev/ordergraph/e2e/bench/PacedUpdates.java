package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single-row UPDATEs of one order at a steady rate over plain JDBC, as an outside writer makes them,
 * and the commit-to-arrival time of each at clients subscribed to {@code orderChanged} of that order.
 * "Commit" is stamped just before the statement is sent (autocommit): the earliest moment its commit
 * can become visible, so a latency is never flattered by the statement's own round trip.
 */
final class PacedUpdates {

    /** Opens a connection to the database that holds the order. */
    interface Database {
        Connection connect() throws SQLException;
    }

    private final Database database;
    private final long order;

    PacedUpdates(Database database, long order) {
        this.database = database;
        this.order = order;
    }

    /** Touches the order until every client has received a change of it (all are live end to end), then drains late probes. */
    void awaitLive(List<GraphQlWsClient> clients) {
        for (int attempt = 0; attempt < 30; attempt++) {
            touch();
            boolean all = true;
            for (GraphQlWsClient client : clients) {
                all &= client.poll(Duration.ofSeconds(all ? 5 : 0)) != null;
            }
            if (all) {
                ServiceProcess.sleep(500);
                for (GraphQlWsClient client : clients) {
                    while (client.poll(Duration.ZERO) != null) {
                        // a probe from an earlier attempt
                    }
                }
                return;
            }
        }
        throw new AssertionError("Not every subscription went live");
    }

    /** Not measured: the first events of a fresh process pay for compilation (JIT) on every hop. */
    void warmUp(List<GraphQlWsClient> clients, int updates) {
        for (int i = 0; i < updates; i++) {
            touch();
            clients.forEach(client -> client.awaitData(1, Duration.ofSeconds(30)));
        }
    }

    /**
     * Starts {@code count} updates at {@code perSecond}, alternating PAID and UNPAID, and returns at once;
     * {@link Run#latencies} reads what each client received.
     */
    Run start(int count, int perSecond) {
        AtomicLongArray sent = new AtomicLongArray(count);
        AtomicLongArray returned = new AtomicLongArray(count);
        long interval = 1_000_000_000L / perSecond;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try (Connection db = database.connect(); PreparedStatement update = db.prepareStatement("update orders set state = ? where id = ?")) {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    update.setString(1, stateOf(i));
                    update.setLong(2, order);
                    // Stamped just before the statement (and its autocommit) goes out: the earliest moment its
                    // commit can become visible, so no change can exist before its stamp. A volatile write,
                    // so the stamp is published before the statement is sent.
                    sent.set(i, System.nanoTime());
                    update.executeUpdate();
                    returned.set(i, System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new Run(sent, returned, writing);
    }

    /**
     * Runs {@code sql} (autocommit) on a connection opened beforehand and returns {@link System#nanoTime}
     * just before it was sent: the earliest moment its commit can become visible.
     */
    static long stamped(Database database, String sql) {
        try (Connection db = database.connect(); Statement statement = db.createStatement()) {
            long sent = System.nanoTime();
            statement.executeUpdate(sql);
            return sent;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String stateOf(int update) {
        return update % 2 == 0 ? "PAID" : "UNPAID";
    }

    private void touch() {
        try (Connection db = database.connect(); Statement sql = db.createStatement()) {
            sql.executeUpdate("update orders set state = state where id = " + order);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One run of updates: when each statement was sent ({@code sent}) and when it returned, committed ({@code returned}). */
    record Run(AtomicLongArray sent, AtomicLongArray returned, CompletableFuture<Void> writing) {

        /** Statement-sent-to-arrival of the run's updates at {@code client} (subscribed to {@code orderChanged}), in ns, sorted. */
        long[] latencies(GraphQlWsClient client) {
            long[] latencies = inOrder(client);
            Arrays.sort(latencies);
            return latencies;
        }

        /**
         * As {@link #latencies}, in the order of the updates (so a caller can tell the first seconds from
         * the rest). An arrival before its update's stamp is a broken measurement, not a fast one: it fails.
         */
        long[] inOrder(GraphQlWsClient client) {
            long[] latencies = new long[sent.length()];
            for (int i = 0; i < latencies.length; i++) {
                JsonNode change;
                try {
                    change = client.awaitData(1, Duration.ofSeconds(60)).getFirst().path("orderChanged");
                } catch (AssertionError missing) {
                    if (writing.isCompletedExceptionally()) {
                        writing.join(); // the writer's failure is the cause
                    }
                    throw missing;
                }
                long arrived = client.lastArrival();
                assertThat(change.path("action").asString()).isEqualTo("UPDATED");
                assertThat(change.path("order").path("state").asString()).isEqualTo(stateOf(i));
                long at = sent.get(i);
                if (at == 0) {
                    throw new AssertionError("update %d arrived before its statement was stamped: the measurement is wrong".formatted(i));
                }
                if (arrived < at) {
                    throw new AssertionError("update %d arrived %.3f ms before its statement was sent: the measurement is wrong"
                            .formatted(i, (at - arrived) / 1e6));
                }
                latencies[i] = arrived - at;
            }
            return latencies;
        }

        /**
         * For a client that may show several updates in one message (a live query sends its whole result,
         * once for changes that came close together): {@code shown} says how many of the run's updates a
         * message's {@code data} shows, {@code state} the order's state in it. Each update's latency is to
         * the first message that shows it, in the order of the updates; an arrival before the update's
         * stamp fails, as in {@link #inOrder}.
         */
        Coalesced inOrderCoalesced(GraphQlWsClient client, ToIntFunction<JsonNode> shown, Function<JsonNode, String> state) {
            long[] latencies = new long[sent.length()];
            int next = 0;
            int messages = 0;
            while (next < latencies.length) {
                JsonNode data;
                try {
                    data = client.awaitData(1, Duration.ofSeconds(60)).getFirst();
                } catch (AssertionError missing) {
                    if (writing.isCompletedExceptionally()) {
                        writing.join();
                    }
                    throw new AssertionError("updates shown: " + next + " of " + latencies.length, missing);
                }
                long arrived = client.lastArrival();
                messages++;
                int upTo = Math.min(shown.applyAsInt(data), latencies.length);
                if (upTo > 0) {
                    assertThat(state.apply(data)).as("state after %d updates", upTo).isEqualTo(stateOf(upTo - 1));
                }
                for (int i = next; i < upTo; i++) {
                    long at = sent.get(i);
                    if (at == 0 || arrived < at) {
                        throw new AssertionError("update %d was shown before its statement was sent: the measurement is wrong".formatted(i));
                    }
                    latencies[i] = arrived - at;
                }
                next = Math.max(next, upTo);
            }
            return new Coalesced(latencies, messages);
        }

        /** The statements' round trips (sent to returned, committed), in ns, sorted; once the writer is done. */
        long[] roundTrips() {
            await();
            long[] trips = new long[sent.length()];
            for (int i = 0; i < trips.length; i++) {
                trips[i] = returned.get(i) - sent.get(i);
            }
            Arrays.sort(trips);
            return trips;
        }

        void await() {
            writing.join();
        }
    }

    /** Each update's latency (ns, in the order of the updates) and how many messages showed them. */
    record Coalesced(long[] latencies, int messages) {
    }

    /** {@code values[from, to)} sorted, for {@link #ms}. */
    static long[] sorted(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part;
    }

    /** The {@code p} quantile of {@code sorted} nanoseconds, in ms. */
    static double ms(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[index] / 1e6;
    }
}
