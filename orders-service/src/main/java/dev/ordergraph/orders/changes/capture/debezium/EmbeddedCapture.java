package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CaptureMode;
import dev.ordergraph.orders.changes.capture.ChangeCaptureHealthIndicator;
import dev.ordergraph.orders.changes.capture.ConditionalOnCaptureMode;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default mode: this process reads the replication slot with Debezium's embedded engine and is
 * healthy while the engine reads it ({@link SlotReading} adds the slot's watchers).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnCaptureMode(CaptureMode.EMBEDDED)
public class EmbeddedCapture {

    @Bean(DebeziumChangeSource.SLOT_READER)
    DebeziumChangeSource slotReader(CdcProperties cdc, DataSourceProperties dataSource) {
        return new DebeziumChangeSource(cdc, dataSource);
    }

    @Bean(ChangeCaptureHealthIndicator.NAME)
    ChangeCaptureHealthIndicator changeCapture(SlotReaderHealth engine) {
        return new ChangeCaptureHealthIndicator(engine::report);
    }
}
