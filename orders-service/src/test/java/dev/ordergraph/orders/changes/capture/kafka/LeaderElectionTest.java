package dev.ordergraph.orders.changes.capture.kafka;

import org.junit.jupiter.api.AfterEach;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two candidates for the lock on a real PostgreSQL, each with a session of its own. */
class LeaderElectionTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final Duration LEASE = Duration.ofMillis(600);

    /** A key of this test run's own (below 2^31, so pg_locks shows it whole in objid). */
    private final long lockKey = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
    private final ExecutorService candidates = Executors.newCachedThreadPool();

    @AfterEach
    void stopCandidates() throws InterruptedException {
        candidates.shutdownNow();
        assertThat(candidates.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private LeaderElection election(Duration heartbeat) {
        return new LeaderElection(URL, "postgres", "", LEASE, lockKey, "no_such_slot", heartbeat);
    }

    private LeaderElection election() {
        return new LeaderElection(URL, "postgres", "", LEASE, lockKey, "no_such_slot");
    }

    @Test
    void oneWinsAndTheOtherOnceTheFirstsSessionEnds() throws Exception {
        try (LeaderElection.Lease first = election().campaign()) {
            Future<LeaderElection.Lease> second = candidates.submit(() -> election().campaign());
            Thread.sleep(1000);
            assertThat(second.isDone()).as("the second candidate waits while the first holds the lock").isFalse();
            assertThat(holder()).isNotNull();
            first.close();
            try (LeaderElection.Lease won = second.get(5, TimeUnit.SECONDS)) {
                assertThat((Object) won.lost()).as("the lease's loss").isNull();
                assertThat(holder()).isNotNull();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> holder() == null);
    }

    @Test
    void aTerminatedSessionIsNoticedByTheHeartbeatAndTheLockPasses() throws Exception {
        try (LeaderElection.Lease leader = election().campaign()) {
            Future<LeaderElection.Lease> next = candidates.submit(() -> election().campaign());
            terminate(holder());
            await().atMost(Duration.ofSeconds(3)).until(() -> leader.lost() != null);
            try (LeaderElection.Lease won = next.get(5, TimeUnit.SECONDS)) {
                assertThat((Object) won.lost()).as("the lease's loss").isNull();
            }
        }
    }

    @Test
    void aLeaderThatStopsAnsweringLosesTheLockAfterTheLeaseTimeout() throws Exception {
        // A heartbeat slower than the lease: the session idles past idle_session_timeout, as a paused leader's does.
        try (LeaderElection.Lease paused = election(Duration.ofSeconds(3)).campaign()) {
            long started = System.nanoTime();
            try (LeaderElection.Lease next = candidates.submit(() -> election().campaign()).get(5, TimeUnit.SECONDS)) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(LEASE);
                assertThat((Object) next.lost()).as("the lease's loss").isNull();
                // Once its heartbeat runs again, the former leader knows it no longer holds the lock.
                await().atMost(Duration.ofSeconds(5)).until(() -> paused.lost() != null);
            }
        }
    }

    @Test
    void aLeaderKeepsTheLockWhileItsHeartbeatRuns() throws Exception {
        try (LeaderElection.Lease leader = election().campaign()) {
            Integer pid = holder();
            Thread.sleep(LEASE.toMillis() * 3); // three lease timeouts without anything but the heartbeat
            assertThat((Object) leader.lost()).as("the lease's loss").isNull();
            assertThat(holder()).isEqualTo(pid);
        }
    }

    @Test
    void theWinnerEndsThePreviousSlotReadersReplicationConnection() throws Exception {
        String slot = "election_test_" + lockKey;
        try (Connection admin = DriverManager.getConnection(URL, "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("create publication " + slot);
            sql.execute("select pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            try {
                Properties settings = new Properties();
                PGProperty.USER.set(settings, "postgres");
                PGProperty.REPLICATION.set(settings, "database");
                PGProperty.PREFER_QUERY_MODE.set(settings, "simple");
                // A former leader's reader, still streaming from the slot (paused, its connection open).
                try (Connection former = DriverManager.getConnection(URL, settings)) {
                    former.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                            .withSlotName(slot).withSlotOption("proto_version", 1).withSlotOption("publication_names", slot).start();
                    await().atMost(Duration.ofSeconds(5)).until(() -> slotActive(sql, slot));
                    try (LeaderElection.Lease lease = new LeaderElection(URL, "postgres", "", LEASE, lockKey, slot).campaign()) {
                        await().atMost(Duration.ofSeconds(5)).until(() -> !slotActive(sql, slot));
                    }
                } catch (SQLException closingABrokenConnection) {
                    // the terminated walsender's connection does not close cleanly
                }
            } finally {
                await().atMost(Duration.ofSeconds(5)).until(() -> !slotActive(sql, slot));
                sql.execute("select pg_drop_replication_slot('" + slot + "')");
                sql.execute("drop publication " + slot);
            }
        }
    }

    private static boolean slotActive(Statement sql, String slot) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select active from pg_replication_slots where slot_name = '" + slot + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The backend holding the lock, {@code null} when nobody does. */
    private Integer holder() throws SQLException {
        try (Connection sql = DriverManager.getConnection(URL, "postgres", "");
             PreparedStatement query = sql.prepareStatement(
                     "select pid from pg_locks where locktype = 'advisory' and granted and classid = 0 and objid::bigint = ?")) {
            query.setLong(1, lockKey);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection sql = DriverManager.getConnection(URL, "postgres", "");
             PreparedStatement kill = sql.prepareStatement("select pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            kill.execute();
        }
    }
}
