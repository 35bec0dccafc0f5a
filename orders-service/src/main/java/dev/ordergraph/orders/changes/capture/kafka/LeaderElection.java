package dev.ordergraph.orders.changes.capture.kafka;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which replica reads the replication slot: replicas compete for a PostgreSQL advisory lock, held by a
 * session of its own; the holder leads. A leader that dies loses the lock with its session at once; one
 * that stops answering (paused, cut off) loses it when PostgreSQL ends its idle session after
 * {@code leaseTimeout}, and its heartbeat, once it runs again, finds the session gone.
 */
final class LeaderElection {

    private final String url;
    private final String user;
    private final String password;
    private final Duration leaseTimeout;
    private final long lockKey;
    private final String slotName;
    private final Duration heartbeat;

    LeaderElection(String url, String user, String password, Duration leaseTimeout, long lockKey, String slotName) {
        this(url, user, password, leaseTimeout, lockKey, slotName, Duration.ofMillis(Math.max(100, leaseTimeout.toMillis() / 3)));
    }

    /** With a heartbeat of its own: one slower than the lease stands for a leader that stops answering. */
    LeaderElection(String url, String user, String password, Duration leaseTimeout, long lockKey, String slotName, Duration heartbeat) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.leaseTimeout = leaseTimeout;
        this.lockKey = lockKey;
        this.slotName = slotName;
        this.heartbeat = heartbeat;
    }

    /**
     * Tries for the lock four times a second until this replica holds it, then ends the previous slot
     * reader's replication connection; the lease lasts until it is closed or its session ends.
     */
    Lease campaign() throws SQLException, InterruptedException {
        Connection session = DriverManager.getConnection(url, user, password);
        try {
            Statement sql = session.createStatement();
            // A leader that stops answering must not keep the lock: PostgreSQL ends its idle session.
            sql.execute("set idle_session_timeout = " + leaseTimeout.toMillis());
            while (!holdsLock(sql)) {
                Thread.sleep(250); // a quarter of a second of the takeover after a leader dies
                sql.execute("select 1");
            }
            // The lock says the previous reader is gone or no longer leads: do not wait for its replication
            // connection to time out (a paused leader's stays open for wal_sender_timeout, a minute).
            sql.execute("select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = '"
                    + slotName.replace("'", "''") + "' and active_pid is not null");
            return new Lease(session, sql, heartbeat);
        } catch (SQLException | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private boolean holdsLock(Statement sql) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select pg_try_advisory_lock(" + lockKey + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The lock, held by its session; closing it lets the lock go. */
    static final class Lease implements AutoCloseable {

        private final Connection session;
        private final ScheduledExecutorService heartbeat;
        private volatile SQLException lost;

        private Lease(Connection session, Statement sql, Duration period) {
            this.session = session;
            // The lock session is kept alive from now on, also while the producer and the tail are prepared.
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "capture-leader-heartbeat"));
            heartbeat.scheduleAtFixedRate(() -> {
                try {
                    sql.execute("select 1"); // fails once PostgreSQL ended the session: the lock is gone
                } catch (SQLException e) {
                    lost = e;
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Why the lock is gone, as the heartbeat found; {@code null} while it is held. */
        SQLException lost() {
            return lost;
        }

        @Override
        public void close() throws SQLException {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                session.close();
            }
        }
    }
}
