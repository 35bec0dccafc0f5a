package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.ChangePosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/** The newest changes on the topic, committed ones only: what a new leader must not publish again. */
final class TopicTail {

    private TopicTail() {
    }

    /**
     * The positions of the changes in the topic's newest {@code count} offsets (a replay window), oldest
     * first; each transaction's commit marker takes an offset too, so a few fewer changes than that.
     */
    static SequencedSet<ChangePosition> positions(KafkaCaptureProperties kafka, int count) {
        SequencedSet<ChangePosition> positions = new LinkedHashSet<>();
        TopicPartition partition = ChangesTopic.partition(kafka);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, Math.max(begin, end - count));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    positions.addLast(ChangeMessages.decode(record.value()).position());
                }
            }
        }
        return positions;
    }
}
