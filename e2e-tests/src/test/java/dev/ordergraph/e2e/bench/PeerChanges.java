package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.PostGraphilePeer;
import dev.ordergraph.e2e.support.TestData;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChangeBenchmark}'s workloads against PostGraphile's live queries ({@link PostGraphilePeer}), driven
 * by the same clients: the same paced JDBC writer, the same graphql-transport-ws client. A live query
 * sends its whole result again after a change (after waiting to bundle changes that come close together),
 * so a reader takes an update as delivered by the first message that shows it: the order's
 * {@code version}, counted by a trigger, tells which updates a message shows.
 */
final class PeerChanges {

    /** One order with its user's username: what {@link ChangeBenchmark}'s latency subscriber selects through the gateway. */
    static final String ONE_ORDER = "subscription($id: Int!) { orderById(id: $id) { id state version userByUserId { username } } }";
    /** One user's orders, each with the user's username and email: what the bulk subscriber selects. */
    static final String USERS_ORDERS = """
            subscription($userId: Int!) {
              allOrders(condition: { userId: $userId }) { nodes { id state userByUserId { username email } } }
            }""";

    private final PostGraphilePeer peer;

    PeerChanges(PostGraphilePeer peer) {
        this.peer = peer;
    }

    /** One run of paced updates and how a live query of the order showed them. */
    record Latency(long[] inOrder, int messages, long[] roundTrips) {
    }

    /** {@code warmUp + count} updates of one order at {@code perSecond}, to one live query of it with its user. */
    Latency latency(int warmUp, int count, int perSecond) {
        long owner = user("latency");
        long order = orders(owner, 1, "UNPAID").getFirst();
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(peer.url(), null, ONE_ORDER, Map.of("id", order))) {
            client.awaitData(1, Duration.ofSeconds(30)); // the first result
            PacedUpdates updates = new PacedUpdates(PostGraphilePeer::db, order);
            updates.awaitLive(List.of(client));
            long base = version(order);
            PacedUpdates.Run run = updates.start(warmUp + count, perSecond);
            PacedUpdates.Coalesced shown = run.inOrderCoalesced(client,
                    data -> (int) (data.path("orderById").path("version").asLong() - base),
                    data -> data.path("orderById").path("state").asString());
            return new Latency(shown.latencies(), shown.messages(), run.roundTrips());
        }
    }

    /** One bulk UPDATE to a live query of the rows and how it showed it. */
    record Bulk(double ms, int rows, int messages, int largestChars) {
    }

    /** {@code rows} orders of one user, a warm-up round and then {@code rounds} measured, each a fresh subscriber. */
    List<Bulk> bulk(int rows, int rounds) {
        long owner = user("tenk");
        try (Connection db = PostGraphilePeer.db(); Statement sql = db.createStatement()) {
            sql.executeUpdate("insert into orders (date, state, user_id) select date '2029-02-01', 'UNPAID', " + owner + " from generate_series(1, " + rows + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        List<Bulk> runs = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Bulk run = bulkUpdate(owner, rows, round % 2 == 0 ? "PAID" : "UNPAID");
            if (round > 0) {
                runs.add(run);
            }
        }
        return runs;
    }

    /**
     * Commit to the first message of a live query of the user's orders in which every row shows
     * {@code state}, in ms; counted from when the statement returned, as {@link BulkArrival} counts.
     */
    private Bulk bulkUpdate(long owner, int rows, String state) {
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(peer.url(), null, USERS_ORDERS, Map.of("userId", owner));
             Connection db = PostGraphilePeer.db(); Statement sql = db.createStatement()) {
            JsonNode first = client.awaitData(1, Duration.ofSeconds(60)).getFirst();
            assertThat(first.path("allOrders").path("nodes").size()).isEqualTo(rows);
            long oneRow = first.path("allOrders").path("nodes").get(0).path("id").asLong();
            // Live: a change of one row reaches it (and what came before is read).
            new PacedUpdates(PostGraphilePeer::db, oneRow).awaitLive(List.of(client));
            long start = System.nanoTime();
            int updated = sql.executeUpdate("update orders set state = '" + state + "' where user_id = " + owner);
            long committed = System.nanoTime();
            assertThat(updated).isEqualTo(rows);
            int messages = 0;
            int largest = 0;
            while (true) {
                JsonNode data = client.awaitData(1, Duration.ofSeconds(180)).getFirst();
                messages++;
                largest = Math.max(largest, data.toString().length());
                JsonNode nodes = data.path("allOrders").path("nodes");
                boolean all = nodes.size() == rows;
                for (JsonNode node : nodes) {
                    all &= node.path("state").asString().equals(state) && !node.path("userByUserId").path("email").asString().isEmpty();
                }
                if (all) {
                    break;
                }
            }
            double ms = (client.lastArrival() - committed) / 1e6;
            print("one UPDATE of %d rows, a live query of them with userByUserId { username email }: statement %.0f ms, commit to the message that shows every row %.0f ms, %d messages (largest %,d characters)"
                    .formatted(updated, (committed - start) / 1e6, ms, messages, largest));
            return new Bulk(ms, updated, messages, largest);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fan-out, and PostGraphile's resident memory before the subscriptions opened and with them open. */
    record Spread(FanOut arrival, long rssBeforeMiB, long rssOpenMiB) {
    }

    /** One change to {@code subscribers} live queries of one order with its user, each on a connection of its own, opened one after another. */
    Spread fanOut(int subscribers) throws InterruptedException {
        long owner = user("fanout");
        long order = orders(owner, 1, "UNPAID").getFirst();
        List<GraphQlWsClient> clients = new ArrayList<>();
        try {
            Thread.sleep(2000);
            long rssBefore = peer.rssMiB();
            for (int i = 0; i < subscribers; i++) {
                clients.add(GraphQlWsClient.subscribe(peer.url(), null, ONE_ORDER, Map.of("id", order)));
            }
            for (GraphQlWsClient client : clients) {
                client.awaitData(1, Duration.ofSeconds(120)); // each one's first result
            }
            new PacedUpdates(PostGraphilePeer::db, order).awaitLive(clients);
            Thread.sleep(2000);
            long rssOpen = peer.rssMiB();
            FanOut arrival = FanOut.read(clients, PacedUpdates.stamped(PostGraphilePeer::db, "update orders set state = 'PAID' where id = " + order),
                    data -> data.path("orderById").path("state").asString().equals("PAID"));
            // One reading each: Node's heap grows and shrinks with its collector, so this says little at this size.
            print("fan-out of one change to %d live queries of one order with its user: %s; PostGraphile RSS %d MiB before they opened, %d MiB with them open"
                    .formatted(subscribers, arrival, rssBefore, rssOpen));
            return new Spread(arrival, rssBefore, rssOpen);
        } finally {
            clients.forEach(GraphQlWsClient::close);
        }
    }

    private static long user(String prefix) {
        return TestData.user(PostGraphilePeer::db, prefix);
    }

    private static List<Long> orders(long user, int count, String state) {
        List<Long> ids = new ArrayList<>();
        try (Connection db = PostGraphilePeer.db();
             PreparedStatement insert = db.prepareStatement("insert into orders (date, state, user_id) values (date '2029-01-01', ?, ?) returning id")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, state);
                insert.setLong(2, user);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static long version(long order) {
        try (Connection db = PostGraphilePeer.db(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select version from orders where id = " + order)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(String line) {
        System.out.println("==== PeerBenchmark: PostGraphile: " + line);
    }
}
