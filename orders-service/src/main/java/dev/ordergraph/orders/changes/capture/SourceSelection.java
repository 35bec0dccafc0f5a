package dev.ordergraph.orders.changes.capture;

import dev.ordergraph.orders.changes.capture.debezium.DebeziumChangeSource;
import dev.ordergraph.orders.changes.capture.kafka.KafkaCaptureProperties;
import dev.ordergraph.orders.changes.capture.kafka.KafkaChangeSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Which source feeds this replica: the slot in-process, or (scale-out) the changes topic. */
@Configuration(proxyBeanMethods = false)
class SourceSelection {

    @Bean
    @Primary
    ChangeSource changeSource(KafkaCaptureProperties kafka, DebeziumChangeSource slot, KafkaChangeSource topic) {
        return kafka.enabled() ? topic : slot;
    }
}
