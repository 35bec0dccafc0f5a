package dev.ordergraph.orders.changes.capture.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The scale-out mode: set {@code bootstrapServers} ({@code KAFKA_BOOTSTRAP_SERVERS}) and every replica
 * serves subscriptions from the changes topic, while one elected replica reads the replication slot and
 * publishes to it. Unset or blank, one process reads the slot in-process (the default); which mode
 * runs is decided once ({@code CaptureMode}), from the same property.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topic            single-partition topic of the changes, in commit order; its retention is the
 *                         replay window of every replica
 * @param retention        how long the topic keeps a change ({@code retention.ms}, {@code cleanup.policy=delete})
 * @param replicationFactor copies of the topic when a replica creates it; unset, the brokers'
 *                         {@code default.replication.factor} (set that to 3 on a production cluster)
 * @param transactionalId  the leader's producer id: a new leader's producer fences the previous one's
 * @param leaseTimeout     how long a leader that stops answering (paused, partitioned) keeps its lock:
 *                         PostgreSQL ends its idle lock session after this, and another replica takes over
 * @param lockKey          the PostgreSQL advisory lock the replicas compete for
 */
@ConfigurationProperties("ordergraph.cdc.kafka")
public record KafkaCaptureProperties(
        String bootstrapServers,
        @DefaultValue("ordergraph.orders.changes") String topic,
        @DefaultValue("7d") Duration retention,
        Short replicationFactor,
        @DefaultValue("ordergraph-orders-capture") String transactionalId,
        @DefaultValue("6s") Duration leaseTimeout,
        @DefaultValue("7281460231") long lockKey) {
}
