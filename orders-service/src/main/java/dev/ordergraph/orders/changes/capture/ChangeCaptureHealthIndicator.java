package dev.ordergraph.orders.changes.capture;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code changeCapture} in {@code /actuator/health}: DOWN whenever this replica's change stream is not
 * flowing, so a dead stream is never silent (subscriptions would simply stop receiving). What flowing
 * means, and the details that show it, is the capture mode's: in-process, the engine on the slot; in
 * the scale-out mode, the changes topic (caught up since start), plus the engine where this replica
 * leads. A mode that captures nothing reports UNKNOWN instead.
 */
public final class ChangeCaptureHealthIndicator extends AbstractHealthIndicator {

    /** The bean name, which is the component's name in health. */
    public static final String NAME = "changeCapture";

    /** Adds a mode's details; whether its changes flow. */
    @FunctionalInterface
    public interface Report {
        boolean flowing(Health.Builder details);
    }

    private final Report report;

    public ChangeCaptureHealthIndicator(Report report) {
        this.report = report;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (report.flowing(builder)) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
