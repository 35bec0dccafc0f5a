package dev.ordergraph.orders.changes;

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
    private final ChangeFeed feed;
    private final ReplicationSlotMonitor slot;
    private final CdcProperties properties;

    public ChangeCaptureHealthIndicator(DebeziumChangeSource source, ChangeFeed feed, ReplicationSlotMonitor slot, CdcProperties properties) {
        this.source = source;
        this.feed = feed;
        this.slot = slot;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!properties.enabled()) {
            builder.unknown().withDetail("engine", "disabled");
            return;
        }
        ReplicationSlotMonitor.SlotStatus status = slot.status();
        boolean up = source.state() == DebeziumChangeSource.State.RUNNING && status.exists() && status.active();
        (up ? builder.up() : builder.down())
                .withDetail("engine", source.state().name())
                .withDetail("slot", properties.slotName())
                .withDetail("slotActive", status.active())
                .withDetail("slotLagBytes", status.lagBytes())
                .withDetail("slotRetainedBytes", status.retainedBytes());
        if (feed.lastEventAt() != null) {
            builder.withDetail("lastEventAt", feed.lastEventAt().toString());
        }
        if (source.lastError() != null) {
            builder.withDetail("lastError", source.lastError());
        }
    }
}
