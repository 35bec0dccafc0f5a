package io.debezium.connector.base;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.pipeline.Sizeable;
import io.debezium.util.LoggingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The service's own ChangeEventQueue, loaded instead of Debezium's (same name, same public surface; written
 * here, not copied), between the connector's WAL reader (the producer) and the engine's polling thread.
 *
 * <p>Debezium's queue hands a batch over only when it is full or when the poll interval has passed since the
 * poll began, so a lone change waits for the rest of that interval. It also waits in whole milliseconds
 * ({@code Condition.await(remaining.toMillis())}) and spins through the last, sub-millisecond part of every
 * poll: an idle service spent 12.5% of a core at a 10 ms poll interval and 48% at 1 ms (measured, Debezium
 * 3.6.1), which made a short interval, and so low latency, too dear.
 *
 * <p>This one gathers for the poll interval too, or until the batch is full, but when nothing came in that
 * interval it goes on waiting and hands the first record over the moment it comes (returning empty after
 * {@link #IDLE_WAIT}, so the engine commits offsets; a stop interrupts the wait), and it waits in
 * nanoseconds. So a change after a quiet spell leaves at once, under a bulk statement the batches fill as
 * before, and an idle service sleeps. The producer side (blocking while the queue is full by count or by
 * bytes, the one-record buffer) behaves as Debezium's does.
 *
 * <p>{@code ChangeEventQueueShadowTest} checks that this class is the one loaded, that its public surface
 * matches the Debezium version in use, and that version.
 */
public class ChangeEventQueue<T extends Sizeable> implements ChangeEventQueueMetrics {

    private static final Logger LOGGER = LoggerFactory.getLogger(ChangeEventQueue.class);

    /** The longest a poll with nothing to hand over waits. The engine interrupts a poll to stop. */
    static final Duration IDLE_WAIT = Duration.ofMillis(100);

    private final long pollIntervalNanos;
    private final long idleWaitNanos;
    private final int maxBatchSize;
    private final int maxQueueSize;
    private final long maxQueueSizeInBytes;
    private final Supplier<LoggingContext.PreviousContext> loggingContextSupplier;
    private final QueueProvider<T> queue;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Sizes of the queued records, in queue order; only when a byte limit is set. */
    private final Queue<Long> sizesInBytes = new ArrayDeque<>();
    private long currentQueueSizeInBytes;

    private volatile boolean buffering;
    private final AtomicReference<T> bufferedEvent = new AtomicReference<>();
    private volatile RuntimeException producerException;

    private ChangeEventQueue(Builder<T> builder, QueueProvider<T> queue) {
        Duration pollInterval = builder.pollInterval == null ? Duration.ZERO : builder.pollInterval;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.idleWaitNanos = Math.max(pollIntervalNanos, builder.idleWait.toNanos());
        this.maxBatchSize = builder.maxBatchSize;
        this.maxQueueSize = builder.maxQueueSize;
        this.maxQueueSizeInBytes = builder.maxQueueSizeInBytes;
        this.loggingContextSupplier = builder.loggingContextSupplier;
        this.buffering = builder.buffering;
        this.queue = queue;
    }

    public static class Builder<T extends Sizeable> {

        private Duration pollInterval;
        private int maxQueueSize;
        private int maxBatchSize;
        private Supplier<LoggingContext.PreviousContext> loggingContextSupplier;
        private long maxQueueSizeInBytes;
        private boolean buffering;
        private QueueProvider<T> queueProvider;
        private Duration idleWait = IDLE_WAIT;

        public Builder<T> pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder<T> maxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
            return this;
        }

        public Builder<T> maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder<T> loggingContextSupplier(Supplier<LoggingContext.PreviousContext> loggingContextSupplier) {
            this.loggingContextSupplier = loggingContextSupplier;
            return this;
        }

        public Builder<T> maxQueueSizeInBytes(long maxQueueSizeInBytes) {
            this.maxQueueSizeInBytes = maxQueueSizeInBytes;
            return this;
        }

        /** The store of queued records; {@code null} for Debezium's in-memory one. */
        public Builder<T> queueProvider(QueueProvider<T> queueProvider) {
            this.queueProvider = queueProvider;
            return this;
        }

        /** Only for tests: the longest an empty poll waits. */
        Builder<T> idleWait(Duration idleWait) {
            this.idleWait = idleWait;
            return this;
        }

        public Builder<T> buffering() {
            this.buffering = true;
            return this;
        }

        public ChangeEventQueue<T> build() {
            QueueProvider<T> provider = queueProvider;
            if (provider == null) {
                DefaultQueueProvider<T> memory = new DefaultQueueProvider<>();
                memory.configure(Map.of(CommonConnectorConfig.MAX_QUEUE_SIZE.name(), String.valueOf(maxQueueSize)));
                provider = memory;
            }
            return new ChangeEventQueue<>(this, provider);
        }
    }

    /** Queues a record, blocking while the queue is full. With buffering on, queues the one before it instead. */
    public void enqueue(T record) throws InterruptedException {
        if (record == null) {
            return;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (buffering) {
            record = bufferedEvent.getAndSet(record);
            if (record == null) {
                return; // the first record: it waits in the buffer for the next one
            }
        }
        doEnqueue(record);
    }

    /** Queues the buffered record, changed by {@code recordModifier}, and empties the buffer. */
    public void flushBuffer(Function<T, T> recordModifier) throws InterruptedException {
        T record = bufferedEvent.getAndSet(null);
        if (record != null) {
            doEnqueue(recordModifier.apply(record));
        }
    }

    public void disableBuffering() {
        buffering = false;
    }

    public void enableBuffering() {
        buffering = true;
    }

    protected void doEnqueue(T record) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.size() >= maxQueueSize || overByteLimit()) {
                notEmpty.signal(); // a full queue is worth handing over now
                notFull.awaitNanos(Math.max(pollIntervalNanos, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            queue.enqueue(record);
            if (maxQueueSizeInBytes > 0) {
                long size = record.objectSize();
                sizesInBytes.add(size);
                currentQueueSizeInBytes += size;
            }
            notEmpty.signal();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * The next batch: what comes within the poll interval, up to the batch size (as Debezium's queue does); if
     * nothing came by then, the first record to come, at once, or nothing after the idle wait.
     */
    public List<T> poll() throws InterruptedException {
        LoggingContext.PreviousContext previousContext = loggingContextSupplier == null ? null : loggingContextSupplier.get();
        try {
            lock.lockInterruptibly();
            try {
                throwProducerExceptionIfPresent();
                List<T> records = new ArrayList<>();
                long start = System.nanoTime();
                long gatherDeadline = start + pollIntervalNanos;
                long idleDeadline = start + idleWaitNanos;
                while (true) {
                    drainInto(records);
                    if (records.size() >= maxBatchSize) {
                        return records;
                    }
                    long now = System.nanoTime();
                    long deadline = now - gatherDeadline < 0 ? gatherDeadline : records.isEmpty() ? idleDeadline : now;
                    if (deadline - now <= 0) {
                        return records;
                    }
                    notEmpty.awaitNanos(deadline - now);
                    throwProducerExceptionIfPresent();
                }
            }
            finally {
                lock.unlock();
            }
        }
        finally {
            if (previousContext != null) {
                previousContext.restore();
            }
        }
    }

    private void drainInto(List<T> records) throws InterruptedException {
        int n = Math.min(queue.size(), maxBatchSize - records.size());
        for (int i = 0; i < n; i++) {
            records.add(queue.poll());
            if (maxQueueSizeInBytes > 0) {
                Long size = sizesInBytes.poll();
                currentQueueSizeInBytes -= size == null ? 0 : size;
            }
        }
        if (n > 0) {
            notFull.signalAll();
        }
    }

    private boolean overByteLimit() {
        return maxQueueSizeInBytes > 0 && currentQueueSizeInBytes >= maxQueueSizeInBytes;
    }

    public void producerException(final RuntimeException producerException) {
        this.producerException = producerException;
        lock.lock();
        try {
            notEmpty.signalAll(); // a waiting poll throws it now
        }
        finally {
            lock.unlock();
        }
    }

    private void throwProducerExceptionIfPresent() {
        RuntimeException exception = producerException;
        if (exception != null) {
            throw exception;
        }
    }

    @Override
    public int totalCapacity() {
        return maxQueueSize;
    }

    @Override
    public int remainingCapacity() {
        return maxQueueSize - queue.size();
    }

    @Override
    public long maxQueueSizeInBytes() {
        return maxQueueSizeInBytes;
    }

    @Override
    public long currentQueueSizeInBytes() {
        return currentQueueSizeInBytes;
    }

    public boolean isBuffered() {
        return buffering;
    }

    public void close() {
        try {
            queue.close();
        }
        catch (Exception e) {
            LOGGER.warn("Failed to close the queue provider", e);
        }
    }
}
