package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code changeCapture} in {@code /actuator/health}: DOWN whenever the engine is not reading, so a
 * dead change stream is never silent (subscriptions would simply stop receiving).
 */
@Component("changeCapture")
public class ChangeCaptureHealthIndicator extends AbstractHealthIndicator {

    private final DebeziumChangeSource source;
    private final ReplicationSlotMonitor slot;
    private final CaptureConnectionWatch connection;
    private final CdcProperties properties;

    public ChangeCaptureHealthIndicator(DebeziumChangeSource source, ReplicationSlotMonitor slot,
                                        CaptureConnectionWatch connection, CdcProperties properties) {
        this.source = source;
        this.slot = slot;
        this.connection = connection;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!properties.enabled()) {
            builder.unknown().withDetail("engine", "disabled");
            return;
        }
        ReplicationSlotMonitor.SlotStatus status = slot.status();
        CaptureConnectionWatch.History history = connection.history();
        boolean up = source.state() == DebeziumChangeSource.State.RUNNING && history.connected() && status.exists() && status.active();
        (up ? builder.up() : builder.down())
                .withDetail("engine", source.state().name())
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
        if (source.lastBatchAt() != null) {
            builder.withDetail("lastEventAt", source.lastBatchAt().toString());
        }
        if (source.lastError() != null) {
            builder.withDetail("lastError", source.lastError());
        }
    }
}
