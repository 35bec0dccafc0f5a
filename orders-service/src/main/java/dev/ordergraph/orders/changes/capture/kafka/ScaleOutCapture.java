package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CaptureMode;
import dev.ordergraph.orders.changes.capture.ChangeCaptureHealthIndicator;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.changes.capture.ConditionalOnCaptureMode;
import dev.ordergraph.orders.changes.capture.debezium.DebeziumChangeSource;
import dev.ordergraph.orders.changes.capture.debezium.SlotReaderHealth;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scale-out mode ({@link KafkaCaptureProperties}): this replica's source is the changes topic; unless
 * {@code ordergraph.cdc.enabled} is false here, it also campaigns to be the leader that reads the slot
 * into the topic.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnCaptureMode(CaptureMode.SCALE_OUT)
public class ScaleOutCapture {

    /**
     * The changes topic, with what an operator's alerts watch: how many records this replica has not read
     * yet ({@code -1} before its first poll), and whether it has read up to where the topic ended when it
     * started (until then its subscribers' cursors from other replicas may be unknown to it).
     */
    @Bean
    KafkaChangeSource changeSource(KafkaCaptureProperties kafka, MeterRegistry registry) {
        KafkaChangeSource source = new KafkaChangeSource(kafka);
        Gauge.builder("ordergraph.cdc.topic.lag", source, KafkaChangeSource::lag)
                .description("Records on the changes topic this replica has not read yet; -1 before its first read")
                .register(registry);
        Gauge.builder("ordergraph.cdc.topic.caught_up", source, s -> s.caughtUp() ? 1 : 0)
                .description("1 once this replica has read the changes topic up to where it ended at start, else 0")
                .register(registry);
        return source;
    }

    /** Not a default candidate: the feed reads the topic; the slot's source is the leader's alone. */
    @Bean(name = DebeziumChangeSource.SLOT_READER, defaultCandidate = false)
    @ConditionalOnBooleanProperty(name = "ordergraph.cdc.enabled", matchIfMissing = true)
    DebeziumChangeSource slotReader(CdcProperties cdc, DataSourceProperties dataSource) {
        return new DebeziumChangeSource(cdc, dataSource);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "ordergraph.cdc.enabled", matchIfMissing = true)
    CaptureLeader captureLeader(KafkaCaptureProperties kafka, CdcProperties cdc, DataSourceProperties dataSource,
                                @Qualifier(DebeziumChangeSource.SLOT_READER) ChangeSource slot, ChangeSpans spans) {
        LeaderElection election = new LeaderElection(dataSource.getUrl(), dataSource.getUsername(), dataSource.getPassword(),
                kafka.leaseTimeout(), kafka.lockKey(), cdc.slotName());
        return new CaptureLeader(kafka, cdc, election, slot, spans);
    }

    @Bean(ChangeCaptureHealthIndicator.NAME)
    ChangeCaptureHealthIndicator changeCapture(KafkaCaptureProperties kafka, KafkaChangeSource topic,
                                               ObjectProvider<CaptureLeader> leader, ObjectProvider<SlotReaderHealth> engine) {
        return new ChangeCaptureHealthIndicator(new ScaleOutHealth(kafka, topic, leader.getIfAvailable(), engine.getIfAvailable())::report);
    }
}
