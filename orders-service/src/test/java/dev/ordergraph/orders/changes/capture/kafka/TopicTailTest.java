package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ordergraph.orders.changes.capture.kafka.TopicChanges.change;
import static dev.ordergraph.orders.changes.capture.kafka.TopicChanges.positions;
import static org.assertj.core.api.Assertions.assertThat;

/** What a new leader finds on the topic, against a real broker. */
class TopicTailTest {

    private static final KafkaBroker broker = KafkaBroker.shared();

    @Test
    void thePositionsInTheNewestOffsetsOldestFirst() {
        KafkaCaptureProperties kafka = broker.newTopic();
        CapturedChange[] changes = {change(1, 10), change(1, 11), change(2, 20), change(3, 30), change(4, 40)};
        try (ChangePublisher publisher = ChangePublisher.open(kafka, 100)) {
            publisher.publish(List.of(changes[0], changes[1]));
            publisher.publish(List.of(changes[2], changes[3], changes[4]));
        }
        // Each transaction's commit marker takes an offset of its own: the newest three offsets are two
        // changes and the marker of their transaction.
        assertThat(TopicTail.positions(kafka, 3)).containsExactlyElementsOf(positions(changes[3], changes[4]));
        assertThat(TopicTail.positions(kafka, 4)).containsExactlyElementsOf(positions(changes[2], changes[3], changes[4]));
        assertThat(TopicTail.positions(kafka, 100)).containsExactlyElementsOf(positions(changes));
    }

    @Test
    void anEmptyTopicHasNone() {
        assertThat(TopicTail.positions(broker.newTopic(), 100)).isEmpty();
    }

    @Test
    void anAbortedTransactionIsNotOnTheTopic() {
        KafkaCaptureProperties kafka = broker.newTopic();
        CapturedChange kept = change(1, 10);
        CapturedChange aborted = change(2, 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.transactionalId(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(kafka.topic(), 0, new byte[0], ChangeMessages.encode(kept)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(kafka.topic(), 0, new byte[0], ChangeMessages.encode(aborted)));
            producer.flush();
            producer.abortTransaction();
        }
        assertThat(TopicTail.positions(kafka, 100)).containsExactlyElementsOf(positions(kept));
    }
}
