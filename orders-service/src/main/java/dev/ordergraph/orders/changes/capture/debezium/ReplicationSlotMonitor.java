package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far the replication slot trails the server: WAL written but not yet confirmed by the engine
 * (lag), and WAL the server must keep for the slot (retained). Read at most every few seconds, only
 * when health or metrics ask, so it adds no query per change.
 */
public class ReplicationSlotMonitor {

    /**
     * The slot as last read; {@code exists} is false when the slot is missing, {@code readable} false
     * when the database could not be asked (then nothing else is known).
     */
    public record SlotStatus(boolean readable, boolean exists, boolean active, long lagBytes, long retainedBytes) {
        static final SlotStatus UNREADABLE = new SlotStatus(false, false, false, 0, 0);
    }

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final CdcProperties properties;
    private volatile SlotStatus last;
    private volatile Instant readAt = Instant.EPOCH;

    public ReplicationSlotMonitor(JdbcTemplate jdbc, CdcProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.properties = properties;
        Gauge.builder("ordergraph.cdc.slot.lag", this, m -> m.known(SlotStatus::lagBytes)).baseUnit("bytes")
                .description("WAL written but not yet confirmed by the change data capture engine").register(registry);
        Gauge.builder("ordergraph.cdc.slot.retained", this, m -> m.known(SlotStatus::retainedBytes)).baseUnit("bytes")
                .description("WAL the server keeps for the replication slot").register(registry);
    }

    public SlotStatus status() {
        // A slot not (yet) read is looked at again on every ask: right after a start or a reconnection,
        // a cached "inactive" would keep health DOWN for seconds after the engine is reading.
        if (last == null || !last.active() || Instant.now().isAfter(readAt.plus(CACHE))) {
            last = read();
            readAt = Instant.now();
        }
        return last;
    }

    private double known(java.util.function.ToLongFunction<SlotStatus> value) {
        SlotStatus status = status();
        return status.readable() ? value.applyAsLong(status) : Double.NaN;
    }

    private SlotStatus read() {
        try {
            List<SlotStatus> rows = jdbc.query("""
                            select active,
                                   coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint,
                                   coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                            from pg_replication_slots where slot_name = ?""",
                    (rs, i) -> new SlotStatus(true, true, rs.getBoolean(1), rs.getLong(2), rs.getLong(3)), properties.slotName());
            return rows.isEmpty() ? new SlotStatus(true, false, false, 0, 0) : rows.getFirst();
        } catch (DataAccessException e) {
            // PostgreSQL restarting or unreachable: health reports that rather than failing (or waiting) itself.
            return SlotStatus.UNREADABLE;
        }
    }
}
