package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Changes to publish, and what a read_committed reader finds on the topic. */
final class TopicChanges {

    private TopicChanges() {
    }

    /** A change at (txId, lsn), built from the topic's own message format. */
    static CapturedChange change(long txId, long lsn) {
        String message = """
                {"v":1,"txId":%d,"lsn":%d,"ordinal":0,"committedAt":"2026-11-28T12:00:00Z",
                 "before":null,"after":{"id":%d,"date":"2026-11-28","state":"PAID","userId":7}}""".formatted(txId, lsn, lsn);
        return ChangeMessages.decode(message.getBytes(StandardCharsets.UTF_8));
    }

    static List<ChangePosition> positions(CapturedChange... changes) {
        return java.util.Arrays.stream(changes).map(CapturedChange::position).toList();
    }

    /** Every committed change's position on the topic, in order. */
    static List<ChangePosition> committed(KafkaCaptureProperties kafka) {
        TopicPartition partition = ChangesTopic.partition(kafka);
        List<ChangePosition> positions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    positions.add(ChangeMessages.decode(record.value()).position());
                }
            }
        }
        return positions;
    }
}
