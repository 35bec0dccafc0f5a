package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.platform.tracing.TraceParent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every replica's source in the scale-out mode: the whole changes topic, read from its oldest retained
 * change (assign and seek, no consumer group: each replica keeps its own window), committed
 * transactions only. The topic is the durable window, so the feed keeps none of its own. Ready once
 * it has read up to where the topic ended when it started.
 */
public class KafkaChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(KafkaChangeSource.class);

    private final KafkaCaptureProperties kafka;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread reader;
    private volatile boolean running;
    private volatile long position = -1;
    private volatile long endAtStart = -1;
    private volatile long lag = -1;
    private volatile boolean failing;

    public KafkaChangeSource(KafkaCaptureProperties kafka) {
        this.kafka = kafka;
    }

    /** The change, its trace continuing from the leader's publish span (the record's {@code traceparent} header). */
    private static CapturedChange traced(CapturedChange change, ConsumerRecord<byte[], byte[]> record) {
        Header trace = record.headers().lastHeader(TraceParent.HEADER);
        return trace == null ? change : change.tracedFrom(new String(trace.value(), StandardCharsets.US_ASCII));
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void start(Handler handler) {
        running = true;
        reader = Thread.ofPlatform().name("kafka-changes").start(() -> read(handler));
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<?, ?> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether it has read everything the topic held when this replica started, and reads on. */
    public boolean caughtUp() {
        return !failing && endAtStart >= 0 && position >= endAtStart;
    }

    /** Changes on the topic not yet read, {@code -1} before the first read. */
    public long lag() {
        return lag;
    }

    private void read(Handler handler) {
        TopicPartition partition = ChangesTopic.partition(kafka);
        boolean topicExists = false;
        while (running) {
            // On this thread, not in start(): a replica started while the brokers are unreachable starts, is
            // DOWN (not caught up) meanwhile, and catches up once they answer.
            try {
                if (!topicExists) {
                    ChangesTopic.ensure(kafka);
                    topicExists = true;
                }
            } catch (RuntimeException e) {
                failing = true;
                log.warn("The changes topic {} is not reachable ({}); trying again in a second", kafka.topic(), e.toString());
                sleep();
                continue;
            }
            try (KafkaConsumer<byte[], byte[]> reading = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    // A position retention has passed since (a long broker outage) goes on from the oldest change
                    // held, never from the newest: the feed then reports the gap as CURSOR_EXPIRED to resumes.
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                consumer = reading;
                reading.assign(List.of(partition));
                if (position < 0) {
                    reading.seekToBeginning(List.of(partition));
                    endAtStart = reading.endOffsets(List.of(partition)).get(partition);
                } else {
                    reading.seek(partition, position); // after a broker restart: on from where it stopped
                }
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = reading.poll(Duration.ofMillis(200));
                    List<CapturedChange> batch = new ArrayList<>(records.count());
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        batch.add(traced(ChangeMessages.decode(record.value()), record));
                    }
                    if (!batch.isEmpty()) {
                        handler.accept(batch);
                    }
                    position = reading.position(partition);
                    lag = reading.currentLag(partition).orElse(lag);
                    failing = false;
                }
            } catch (WakeupException e) {
                // stopping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failing = true;
                log.warn("Reading the changes topic failed ({}); reading on from offset {} in a second", e.toString(), position);
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
