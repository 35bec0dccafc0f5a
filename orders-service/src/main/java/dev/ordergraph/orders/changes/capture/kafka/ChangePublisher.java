package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import dev.ordergraph.platform.tracing.TraceParent;
import io.opentelemetry.api.trace.SpanKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The leader's producer: one transactional id for every leader, so a new leader's producer fences the
 * previous one's, which can publish nothing more. Each batch is one Kafka transaction; changes the topic
 * already holds (a new leader's redelivery of what its predecessor published) are left out, remembered
 * for as many changes as a replay window.
 */
final class ChangePublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SequencedSet<ChangePosition> published;
    private final int remembered;
    private final ChangeSpans spans;

    private ChangePublisher(KafkaProducer<byte[], byte[]> producer, String topic, SequencedSet<ChangePosition> published,
                            int remembered, ChangeSpans spans) {
        this.producer = producer;
        this.spans = spans;
        this.topic = topic;
        this.published = published;
        this.remembered = remembered;
    }

    /** A producer that has fenced every earlier one, with the newest {@code remembered} positions on the topic. */
    static ChangePublisher open(KafkaCaptureProperties kafka, int remembered) {
        return open(kafka, remembered, ChangeSpans.off());
    }

    /** As {@link #open(KafkaCaptureProperties, int)}, each transaction's publishing a span of {@code spans}. */
    static ChangePublisher open(KafkaCaptureProperties kafka, int remembered, ChangeSpans spans) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.transactionalId(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        try {
            producer.initTransactions(); // fences the previous leader's producer; aborts what it left open
            // Read after the fencing: nothing the previous leader publishes can land behind this tail.
            return new ChangePublisher(producer, kafka.topic(), TopicTail.positions(kafka, remembered), remembered, spans);
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /**
     * One Debezium batch as one transaction; what the topic already holds is left out. A
     * {@link org.apache.kafka.common.KafkaException} (fenced, the broker gone) leaves nothing of the batch
     * visible to read_committed readers. Traced, each record's {@code traceparent} header carries its
     * transaction's publish span, which every replica's receiving span continues.
     */
    void publish(List<CapturedChange> captured) {
        ChangeSpans.Batch traced = spans.captured("order-change publish", SpanKind.PRODUCER, captured);
        List<ChangePosition> sent = new ArrayList<>(captured.size());
        producer.beginTransaction();
        for (CapturedChange change : traced.changes()) {
            if (published.contains(change.position())) {
                continue;
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0,
                    ByteBuffer.allocate(8).putLong(change.orderId()).array(), ChangeMessages.encode(change));
            if (change.trace() != null) {
                record.headers().add(TraceParent.HEADER, change.trace().getBytes(StandardCharsets.US_ASCII));
            }
            producer.send(record);
            sent.add(change.position());
        }
        producer.commitTransaction();
        traced.end();
        sent.forEach(published::addLast); // only what is on the topic for good
        while (published.size() > remembered) {
            published.removeFirst();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
