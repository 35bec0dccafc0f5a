package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.debezium.DebeziumChangeSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * In the scale-out mode, the one replica that reads the replication slot and publishes what it reads
 * to the changes topic. Replicas compete for a PostgreSQL advisory lock, held by a session of its own;
 * the holder leads. A leader that dies loses the lock with its session at once; one that stops
 * answering (paused, cut off) loses it when PostgreSQL ends its idle session after {@code leaseTimeout},
 * and its producer is fenced by the next leader's (one transactional id), so it can publish nothing
 * more. Each batch Debezium hands over is one Kafka transaction, committed before Debezium stores its
 * offset (in PostgreSQL, shared by every replica): a new leader resumes where the last committed batch
 * ended and drops the changes the topic already holds.
 */
@Component
public class CaptureLeader implements SmartLifecycle {

    /** What health shows. */
    public enum Role { LEADER, FOLLOWER }

    private static final Logger log = LoggerFactory.getLogger(CaptureLeader.class);

    private final KafkaCaptureProperties kafka;
    private final CdcProperties cdc;
    private final DataSourceProperties dataSource;
    private final DebeziumChangeSource slot;
    private volatile Thread campaign;
    private volatile boolean running;
    private volatile Role role = Role.FOLLOWER;
    /** Why this replica stopped leading: its lock session failed or its producer could not publish. */
    private volatile Exception lost;

    public CaptureLeader(KafkaCaptureProperties kafka, CdcProperties cdc, DataSourceProperties dataSource, DebeziumChangeSource slot) {
        this.kafka = kafka;
        this.cdc = cdc;
        this.dataSource = dataSource;
        this.slot = slot;
    }

    public Role role() {
        return role;
    }

    @Override
    public void start() {
        if (!kafka.enabled() || !cdc.enabled()) {
            return;
        }
        running = true;
        campaign = Thread.ofPlatform().name("capture-leader").start(this::campaign);
    }

    @Override
    public void stop() {
        running = false;
        if (campaign != null) {
            campaign.interrupt();
            try {
                campaign.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Tries for the lock four times a second; leads while it holds it. */
    private void campaign() {
        while (running) {
            try (Connection session = DriverManager.getConnection(dataSource.getUrl(), dataSource.getUsername(), dataSource.getPassword());
                 Statement sql = session.createStatement()) {
                // A leader that stops answering must not keep the lock: PostgreSQL ends its idle session.
                sql.execute("set idle_session_timeout = " + kafka.leaseTimeout().toMillis());
                while (running && !Thread.currentThread().isInterrupted()) {
                    if (holdsLock(sql)) {
                        lead(sql);
                        break; // leadership ended: closing the session lets the lock go; then campaign again
                    }
                    Thread.sleep(250); // a quarter of a second of the takeover after a leader dies
                    sql.execute("select 1");
                }
            } catch (SQLException | RuntimeException e) {
                // The lock session ended, the broker is unreachable, the producer was fenced: campaign again.
                log.warn("Change capture leadership: {}; campaigning again", e.toString());
                pause();
            } catch (InterruptedException e) {
                return;
            } finally {
                role = Role.FOLLOWER;
            }
        }
    }

    private boolean holdsLock(Statement sql) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select pg_try_advisory_lock(" + kafka.lockKey() + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Publishes the slot's changes until the lock session fails, the producer is fenced, or the service stops. */
    private void lead(Statement session) throws SQLException, InterruptedException {
        role = Role.LEADER;
        lost = null;
        log.info("Leading change capture: reading slot {} into topic {}", cdc.slotName(), kafka.topic());
        // The lock says the previous reader is gone or no longer leads: do not wait for its replication
        // connection to time out (a paused leader's stays open for wal_sender_timeout, a minute).
        session.execute("select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = '"
                + cdc.slotName().replace("'", "''") + "' and active_pid is not null");
        // The lock session is kept alive from now on, also while the producer and the tail are prepared.
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "capture-leader-heartbeat"));
        long period = Math.max(100, kafka.leaseTimeout().toMillis() / 3);
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                session.execute("select 1"); // fails once PostgreSQL ended the session: the lock is gone
            } catch (SQLException e) {
                lost = e;
            }
        }, period, period, TimeUnit.MILLISECONDS);
        // The engine takes seconds to start; the producer (which fences the previous leader's) and the
        // topic's tail are prepared meanwhile, and the first batch waits for them: a shorter takeover.
        CompletableFuture<Publishing> ready = CompletableFuture.supplyAsync(this::prepare);
        try {
            slot.start(batch -> publish(ready.join(), batch));
            while (running && lost == null) {
                Thread.sleep(50);
                if (ready.isCompletedExceptionally()) {
                    lost = new IllegalStateException("could not prepare publishing", ready.exceptionNow());
                }
            }
        } finally {
            slot.stop();
            heartbeat.shutdownNow();
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            ready.thenAccept(publishing -> publishing.producer().close());
        }
        if (lost != null) {
            log.warn("Stopped leading change capture: {}", lost.toString());
        }
    }

    /** The leader's producer, with what the topic already holds. */
    private record Publishing(KafkaProducer<byte[], byte[]> producer, SequencedSet<ChangePosition> published) {
    }

    private Publishing prepare() {
        ChangesTopic.ensure(kafka);
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
            return new Publishing(producer, tail());
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** One Debezium batch as one transaction; what the topic already holds (a new leader's redelivery) is left out. */
    private void publish(Publishing publishing, List<CapturedChange> batch) {
        KafkaProducer<byte[], byte[]> producer = publishing.producer();
        SequencedSet<ChangePosition> published = publishing.published();
        if (lost != null) {
            throw new IllegalStateException("no longer leading", lost); // not one more change from a former leader
        }
        try {
            List<ChangePosition> sent = new ArrayList<>(batch.size());
            producer.beginTransaction();
            for (CapturedChange change : batch) {
                if (published.contains(change.position())) {
                    continue;
                }
                producer.send(new ProducerRecord<>(kafka.topic(), 0, ByteBuffer.allocate(8).putLong(change.orderId()).array(),
                        ChangeMessages.encode(change)));
                sent.add(change.position());
            }
            producer.commitTransaction();
            sent.forEach(published::addLast); // only what is on the topic for good
            while (published.size() > cdc.replayWindow()) {
                published.removeFirst();
            }
        } catch (KafkaException e) {
            // Fenced by a newer leader, or the broker is gone: nothing of this batch is visible to
            // read_committed readers, and Debezium does not store its offset, so the next leader (or this
            // one, again) reads the batch once more.
            lost = e;
            throw e;
        }
    }

    /** The positions of the newest changes on the topic (as many as a replay window), to skip on taking over. */
    private SequencedSet<ChangePosition> tail() {
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
            consumer.seek(partition, Math.max(begin, end - cdc.replayWindow()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    positions.addLast(ChangeMessages.decode(record.value()).position());
                }
            }
        }
        return positions;
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
