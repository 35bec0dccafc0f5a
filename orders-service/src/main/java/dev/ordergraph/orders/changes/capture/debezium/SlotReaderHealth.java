package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;
import org.springframework.boot.health.contributor.Health;

/**
 * The slot's reader as health shows it: the engine's state, its replication connection and what
 * happened to it, and the slot. The embedded mode's whole {@code changeCapture}; in the scale-out mode,
 * part of the leader's.
 */
public class SlotReaderHealth {

    private final DebeziumChangeSource engine;
    private final ReplicationSlotMonitor slot;
    private final CaptureConnectionWatch connection;
    private final CdcProperties properties;

    public SlotReaderHealth(DebeziumChangeSource engine, ReplicationSlotMonitor slot, CaptureConnectionWatch connection, CdcProperties properties) {
        this.engine = engine;
        this.slot = slot;
        this.connection = connection;
        this.properties = properties;
    }

    /** The engine's details; whether it reads the slot. */
    public boolean report(Health.Builder builder) {
        ReplicationSlotMonitor.SlotStatus status = slot.status();
        CaptureConnectionWatch.History history = connection.history();
        builder.withDetail("engine", engine.state().name())
                .withDetail("connected", history.connected())
                .withDetail("slot", properties.slotName());
        if (status.readable()) {
            builder.withDetail("slotActive", status.active())
                    .withDetail("slotLagBytes", status.lagBytes())
                    .withDetail("slotRetainedBytes", status.retainedBytes());
        } else {
            builder.withDetail("slotActive", "unknown: the database cannot be reached");
        }
        // What happened while nobody was looking: a PostgreSQL restart ends, health is UP again, and this stays.
        builder.withDetail("connectionLosses", history.losses());
        if (history.lastLostAt() != null) {
            builder.withDetail("lastConnectionLostAt", history.lastLostAt().toString());
        }
        if (history.lastRestoredAt() != null) {
            builder.withDetail("lastConnectionRestoredAt", history.lastRestoredAt().toString());
        }
        if (engine.lastBatchAt() != null) {
            builder.withDetail("lastEventAt", engine.lastBatchAt().toString());
        }
        if (engine.lastError() != null) {
            builder.withDetail("lastError", engine.lastError());
        }
        return engine.state() == DebeziumChangeSource.State.RUNNING && history.connected() && status.exists() && status.active();
    }
}
