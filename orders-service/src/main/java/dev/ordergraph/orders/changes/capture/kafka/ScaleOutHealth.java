package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.debezium.SlotReaderHealth;
import org.springframework.boot.health.contributor.Health;

/**
 * The scale-out mode's {@code changeCapture}: the changes topic (caught up since start), plus the
 * engine where this replica leads; {@code role} says which. A replica that may not lead
 * ({@code ordergraph.cdc.enabled=false}) has neither leader nor engine and is always a follower.
 */
final class ScaleOutHealth {

    private final KafkaCaptureProperties kafka;
    private final KafkaChangeSource topic;
    private final CaptureLeader leader;
    private final SlotReaderHealth engine;

    ScaleOutHealth(KafkaCaptureProperties kafka, KafkaChangeSource topic, CaptureLeader leader, SlotReaderHealth engine) {
        this.kafka = kafka;
        this.topic = topic;
        this.leader = leader;
        this.engine = engine;
    }

    boolean report(Health.Builder builder) {
        boolean leading = leader != null && leader.role() == CaptureLeader.Role.LEADER;
        builder.withDetail("role", leading ? "leader" : "follower")
                .withDetail("topic", kafka.topic())
                .withDetail("caughtUp", topic.caughtUp())
                .withDetail("consumerLag", topic.lag());
        return topic.caughtUp() && (!leading || engine.report(builder));
    }
}
