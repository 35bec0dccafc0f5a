package dev.ordergraph.orders.changes.capture.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A single-node Kafka broker for the tests: {@code scripts/kafka.sh} (KRaft, Apache Kafka's jars) on a
 * free port, its data in a temporary directory that goes with it. One is shared by every test class of a
 * run ({@link #shared}): a broker takes seconds to start, and each test uses a topic and a transactional
 * id of its own ({@link #newTopic}), so tests sharing it never meet.
 */
final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final Path root;
    private final Path data;
    private final int port;

    private KafkaBroker(Path root, Path data, int port) {
        this.root = root;
        this.data = data;
        this.port = port;
    }

    /** The run's broker, started by the first test class that asks and stopped when the test JVM exits. */
    static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-test-broker-stop"));
        }
        return shared;
    }

    private static KafkaBroker start() {
        try {
            KafkaBroker broker = new KafkaBroker(repositoryRoot(), Files.createTempDirectory("kafka-test"), freePortPair());
            broker.script("start");
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Settings for a topic and a transactional id of their own, so tests sharing the broker never meet. */
    KafkaCaptureProperties newTopic() {
        String name = "changes-" + UUID.randomUUID();
        KafkaCaptureProperties kafka = new KafkaCaptureProperties(bootstrapServers(), name, Duration.ofDays(7), null,
                name + "-publisher", Duration.ofSeconds(6), 7281460231L);
        ChangesTopic.ensure(kafka);
        return kafka;
    }

    @Override
    public void close() {
        try {
            script("stop");
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }

    private void script(String action) {
        try {
            Process process = new ProcessBuilder("bash", "scripts/kafka.sh", action, data.toString(), String.valueOf(port))
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("scripts/kafka.sh " + action + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The tests run in the module's directory; the script is the repository's. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("scripts/kafka.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("scripts/kafka.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** A free port whose next one is free too: the broker's controller listens there. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two adjacent free ports");
    }
}
