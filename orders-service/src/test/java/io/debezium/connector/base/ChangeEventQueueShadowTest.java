package io.debezium.connector.base;

import io.debezium.pipeline.Sizeable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's ChangeEventQueue: the one loaded, with Debezium's public surface, and latency-first. */
class ChangeEventQueueShadowTest {

    private static final String NAME = "io/debezium/connector/base/ChangeEventQueue";

    record Change(int n, long objectSize) implements Sizeable {
        Change(int n) {
            this(n, 10);
        }
    }

    static ChangeEventQueue<Change> queue(Duration pollInterval, int maxBatchSize) {
        return new ChangeEventQueue.Builder<Change>().pollInterval(pollInterval).maxBatchSize(maxBatchSize).maxQueueSize(4 * maxBatchSize).build();
    }

    @Test
    void isTheCopyLoadedAndWasMadeForThisDebeziumVersion() {
        assertThat(ChangeEventQueue.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .as("the service's own class, not Debezium's").doesNotContain("debezium");
        assertThat(io.debezium.connector.postgresql.Module.version())
                .as("Debezium changed: compare ChangeEventQueue with the new version's, then update this test")
                .isEqualTo("3.6.1.Final");
    }

    @Test
    void offersEverythingDebeziumsQueueOffers() throws Exception {
        URL upstream = Collections.list(getClass().getClassLoader().getResources(NAME + ".class")).stream()
                .filter(url -> url.toString().contains("debezium")).findFirst().orElseThrow();
        try (UpstreamLoader loader = new UpstreamLoader(upstream, getClass().getClassLoader())) {
            for (String suffix : List.of("", "$Builder")) {
                Class<?> theirs = loader.loadClass(NAME.replace('/', '.') + suffix);
                Class<?> ours = Class.forName(NAME.replace('/', '.') + suffix);
                assertThat(theirs.getClassLoader()).isSameAs(loader);
                assertThat(surface(theirs)).isNotEmpty();
                assertThat(surface(ours)).as("public and protected members of ChangeEventQueue" + suffix)
                        .containsAll(surface(theirs));
            }
        }
    }

    @Test
    void aChangeAfterAQuietSpellLeavesTheMomentItComes() throws Exception {
        ChangeEventQueue<Change> queue = new ChangeEventQueue.Builder<Change>().pollInterval(Duration.ofMillis(20))
                .maxBatchSize(1_000).maxQueueSize(4_000).idleWait(Duration.ofSeconds(30)).build();
        CompletableFuture<List<Change>> poll = CompletableFuture.supplyAsync(() -> poll(queue));
        TimeUnit.MILLISECONDS.sleep(300); // past the poll interval: Debezium's queue would have handed over nothing
        queue.enqueue(new Change(1));
        assertThat(poll.get(10, TimeUnit.SECONDS)).as("handed over long before the idle wait ends").containsExactly(new Change(1));
    }

    @Test
    void changesThatFollowWithinThePollIntervalLeaveTogether() throws Exception {
        ChangeEventQueue<Change> queue = queue(Duration.ofSeconds(2), 1_000);
        CompletableFuture<List<Change>> poll = CompletableFuture.supplyAsync(() -> poll(queue));
        queue.enqueue(new Change(1));
        TimeUnit.MILLISECONDS.sleep(100);
        queue.enqueue(new Change(2));
        queue.enqueue(new Change(3));
        assertThat(poll.get(5, TimeUnit.SECONDS)).containsExactly(new Change(1), new Change(2), new Change(3));
    }

    @Test
    void aFullBatchLeavesAtOnceAndTheRestFollowsInOrder() throws Exception {
        ChangeEventQueue<Change> queue = queue(Duration.ofHours(1), 3);
        for (int i = 1; i <= 5; i++) {
            queue.enqueue(new Change(i));
        }
        assertThat(queue.poll()).containsExactly(new Change(1), new Change(2), new Change(3));
        assertThat(queue.remainingCapacity()).isEqualTo(10);
        CompletableFuture<List<Change>> rest = CompletableFuture.supplyAsync(() -> poll(queue));
        queue.enqueue(new Change(6));
        assertThat(rest.get(5, TimeUnit.SECONDS)).containsExactly(new Change(4), new Change(5), new Change(6));
    }

    @Test
    void anIdlePollReturnsEmptySoTheEngineCanStopAndCommit() throws Exception {
        ChangeEventQueue<Change> queue = queue(Duration.ofMillis(1), 10);
        assertThat(queue.poll()).isEmpty();
    }

    @Test
    void aFullQueueHoldsTheProducerUntilAPollMakesRoom() throws Exception {
        ChangeEventQueue<Change> queue = new ChangeEventQueue.Builder<Change>().pollInterval(Duration.ofMillis(5))
                .maxBatchSize(2).maxQueueSize(2).maxQueueSizeInBytes(25).build();
        queue.enqueue(new Change(1));
        queue.enqueue(new Change(2));
        assertThat(queue.currentQueueSizeInBytes()).isEqualTo(20);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> enqueue(queue, new Change(3)));
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(third).as("held while the queue is full").isNotDone();
        assertThat(queue.poll()).containsExactly(new Change(1), new Change(2));
        third.get(5, TimeUnit.SECONDS);
        assertThat(queue.poll()).containsExactly(new Change(3));
        assertThat(queue.currentQueueSizeInBytes()).isZero();
    }

    @Test
    void bufferingHoldsTheNewestRecordUntilTheNextOrAFlush() throws Exception {
        ChangeEventQueue<Change> queue = new ChangeEventQueue.Builder<Change>().pollInterval(Duration.ofMillis(5))
                .maxBatchSize(10).maxQueueSize(10).buffering().build();
        assertThat(queue.isBuffered()).isTrue();
        queue.enqueue(new Change(1));
        queue.enqueue(new Change(2));
        assertThat(queue.poll()).containsExactly(new Change(1));
        queue.flushBuffer(change -> new Change(change.n() * 10));
        assertThat(queue.poll()).containsExactly(new Change(20));
    }

    @Test
    void theProducersFailureReachesAWaitingPoll() throws Exception {
        ChangeEventQueue<Change> queue = queue(Duration.ofHours(1), 10);
        CompletableFuture<List<Change>> poll = CompletableFuture.supplyAsync(() -> poll(queue));
        TimeUnit.MILLISECONDS.sleep(50);
        queue.producerException(new IllegalStateException("replication connection lost"));
        assertThatThrownBy(() -> poll.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("replication connection lost");
    }

    private static List<Change> poll(ChangeEventQueue<Change> queue) {
        try {
            return queue.poll();
        }
        catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void enqueue(ChangeEventQueue<Change> queue, Change change) {
        try {
            queue.enqueue(change);
        }
        catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Public and protected constructors and methods, with their parameter and return types, by name. */
    private static Set<String> surface(Class<?> type) {
        Stream<String> methods = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
                .filter(m -> !m.isSynthetic())
                .map(m -> m.getReturnType().getName() + " " + m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName).toList());
        Stream<String> constructors = Arrays.stream(type.getDeclaredConstructors())
                .filter(c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()))
                .map(c -> "new" + Arrays.stream(c.getParameterTypes()).map(Class::getName).toList());
        return Stream.concat(methods, constructors).collect(Collectors.toSet());
    }

    /** Defines Debezium's own ChangeEventQueue classes, from its jar, beside the service's; all else from the parent. */
    private static final class UpstreamLoader extends ClassLoader implements AutoCloseable {
        private final String jar;

        UpstreamLoader(URL upstreamClass, ClassLoader parent) {
            super(parent);
            String url = upstreamClass.toString();
            this.jar = url.substring(0, url.length() - (NAME + ".class").length());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(NAME.replace('/', '.')) && !name.startsWith(NAME.replace('/', '.') + "$")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = new URL(jar + name.replace('.', '/') + ".class").openStream()) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                }
                catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
