package dev.ordergraph.orders.changes.capture;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where this replica's changes come from, decided once from configuration; each mode is one
 * configuration ({@link ConditionalOnCaptureMode}) contributing its {@link ChangeSource}, its
 * {@code changeCapture} health and its meters, so nothing else asks which mode runs.
 */
public enum CaptureMode {

    /** The default: this process reads the replication slot with Debezium's embedded engine. */
    EMBEDDED,
    /**
     * {@code ordergraph.cdc.kafka.bootstrap-servers} ({@code KAFKA_BOOTSTRAP_SERVERS}) set: every replica
     * reads the changes topic; one elected replica reads the slot into it, unless {@code ordergraph.cdc.enabled}
     * is false on this replica (then it only reads the topic).
     */
    SCALE_OUT,
    /** {@code ordergraph.cdc.enabled=false} without Kafka (slice tests): nothing is captured. */
    DISABLED;

    static final String BOOTSTRAP_SERVERS = "ordergraph.cdc.kafka.bootstrap-servers";
    static final String ENABLED = "ordergraph.cdc.enabled";

    /**
     * The mode the environment asks for. Bound as the properties records bind (relaxed names,
     * placeholders resolved): application.yml sets the servers to {@code ${KAFKA_BOOTSTRAP_SERVERS:}}, so
     * unset they are an empty string, present but blank, which is not the scale-out mode.
     */
    public static CaptureMode of(Environment environment) {
        Binder binder = Binder.get(environment);
        boolean kafka = binder.bind(BOOTSTRAP_SERVERS, String.class).map(servers -> !servers.isBlank()).orElse(false);
        if (kafka) {
            return SCALE_OUT;
        }
        return binder.bind(ENABLED, Boolean.class).orElse(true) ? EMBEDDED : DISABLED;
    }
}
