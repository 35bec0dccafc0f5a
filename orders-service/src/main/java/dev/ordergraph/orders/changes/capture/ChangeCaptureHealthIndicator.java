package dev.ordergraph.orders.changes.capture;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.debezium.CaptureConnectionWatch;
import dev.ordergraph.orders.changes.capture.debezium.DebeziumChangeSource;
import dev.ordergraph.orders.changes.capture.debezium.ReplicationSlotMonitor;
import dev.ordergraph.orders.changes.capture.kafka.CaptureLeader;
import dev.ordergraph.orders.changes.capture.kafka.KafkaCaptureProperties;
import dev.ordergraph.orders.changes.capture.kafka.KafkaChangeSource;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code changeCapture} in {@code /actuator/health}: DOWN whenever this replica's change stream is not
 * flowing, so a dead stream is never silent (subscriptions would simply stop receiving). In-process,
 * that is the engine on the slot; in the scale-out mode, the changes topic (caught up since start), plus
 * the engine where this replica leads. {@code role} says which.
 */
@Component("changeCapture")
public class ChangeCaptureHealthIndicator extends AbstractHealthIndicator {

    private final DebeziumChangeSource engine;
    private final ReplicationSlotMonitor slot;
    private final CaptureConnectionWatch connection;
    private final CdcProperties properties;
    private final KafkaCaptureProperties kafka;
    private final CaptureLeader leader;
    private final KafkaChangeSource topic;

    public ChangeCaptureHealthIndicator(DebeziumChangeSource engine, ReplicationSlotMonitor slot, CaptureConnectionWatch connection,
                                        CdcProperties properties, KafkaCaptureProperties kafka, CaptureLeader leader, KafkaChangeSource topic) {
        this.engine = engine;
        this.slot = slot;
        this.connection = connection;
        this.properties = properties;
        this.kafka = kafka;
        this.leader = leader;
        this.topic = topic;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (kafka.enabled()) {
            boolean leading = leader.role() == CaptureLeader.Role.LEADER;
            builder.withDetail("role", leading ? "leader" : "follower")
                    .withDetail("topic", kafka.topic())
                    .withDetail("caughtUp", topic.caughtUp())
                    .withDetail("consumerLag", topic.lag());
            status(builder, topic.caughtUp() && (!leading || engineUp(builder)));
            return;
        }
        if (!properties.enabled()) {
            builder.unknown().withDetail("engine", "disabled");
            return;
        }
        status(builder, engineUp(builder));
    }

    private static void status(Health.Builder builder, boolean up) {
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    /** The engine's details; whether it reads the slot. */
    private boolean engineUp(Health.Builder builder) {
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
