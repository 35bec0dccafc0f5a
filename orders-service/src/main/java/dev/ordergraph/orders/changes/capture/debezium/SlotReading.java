package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.management.JMException;

/**
 * What watches the slot wherever this replica may read it: in-process (the embedded mode), or while it
 * leads (the scale-out mode). Each mode declares the reader itself ({@link DebeziumChangeSource#SLOT_READER});
 * the slot's and the connection's meters exist only here, so a replica that never reads the slot has none.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "ordergraph.cdc.enabled", matchIfMissing = true)
public class SlotReading {

    @Bean
    ReplicationSlotMonitor replicationSlotMonitor(JdbcTemplate jdbc, CdcProperties cdc, MeterRegistry registry) {
        return new ReplicationSlotMonitor(jdbc, cdc, registry);
    }

    @Bean
    CaptureConnectionWatch captureConnectionWatch(CdcProperties cdc, MeterRegistry registry) throws JMException {
        return new CaptureConnectionWatch(cdc, registry);
    }

    @Bean
    SlotReaderHealth slotReaderHealth(@Qualifier(DebeziumChangeSource.SLOT_READER) DebeziumChangeSource engine,
                                      ReplicationSlotMonitor slot, CaptureConnectionWatch connection, CdcProperties cdc) {
        return new SlotReaderHealth(engine, slot, connection, cdc);
    }
}
