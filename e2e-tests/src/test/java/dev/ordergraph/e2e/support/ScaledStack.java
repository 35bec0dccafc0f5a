package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale-out mode on real processes, beside the {@link Stack} whose users-service it shares: a Kafka
 * broker (scripts/kafka.sh, from Apache Kafka's jars), two orders-service replicas on a database and
 * slot of their own, and a gateway in front of each. One replica reads the slot and publishes to the
 * topic; both serve every change from it. The caller {@link #stop}s it; the slot is dropped then.
 */
public final class ScaledStack implements AutoCloseable {

    public static final int KAFKA_PORT = 19092;
    public static final String TOPIC = "ordergraph.e2e.changes";
    private static final int[] REPLICA_PORTS = {18084, 18085};
    private static final int[] GATEWAY_PORTS = {14084, 14085};
    private static final String DB = "ordergraph_e2e_scaled";
    private static final String SLOT = "ordergraph_e2e_scaled";

    private final Stack stack = Stack.get();
    private final Map<String, String> replicaSettings;
    private final ServiceProcess[] replicas = new ServiceProcess[2];
    private final ServiceProcess[] gateways = new ServiceProcess[2];

    private ScaledStack(Map<String, String> replicaSettings) {
        this.replicaSettings = replicaSettings;
    }

    /** A fresh broker, database and slot, both replicas and both gateways, started and healthy. */
    public static ScaledStack start() {
        return start(Map.of());
    }

    /** As {@link #start()}, each replica with {@code replicaSettings} on top of the defaults (e.g. its heap). */
    public static ScaledStack start(Map<String, String> replicaSettings) {
        return start(replicaSettings, Map.of());
    }

    /** As {@link #start(Map)}, each gateway with {@code gatewaySettings} too (e.g. where to export its spans). */
    public static ScaledStack start(Map<String, String> replicaSettings, Map<String, String> gatewaySettings) {
        ScaledStack scaled = new ScaledStack(replicaSettings);
        try {
            scaled.kafka("stop");
            scaled.deleteKafkaData();
            scaled.kafka("start");
            Stack.dropReplicationSlot(SLOT);
            admin("drop database if exists " + DB + " with (force)");
            admin("create database " + DB);
            for (int i = 0; i < 2; i++) {
                scaled.replicas[i] = scaled.startReplica(i);
            }
            for (int i = 0; i < 2; i++) {
                Map<String, String> settings = new HashMap<>(gatewaySettings);
                settings.put("ORDERS_URL", "http://127.0.0.1:" + REPLICA_PORTS[i] + "/graphql");
                scaled.gateways[i] = scaled.stack.startGateway(GATEWAY_PORTS[i], settings);
            }
            return scaled;
        } catch (RuntimeException e) {
            try {
                scaled.stop();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Stops everything it started, drops its slot and database. */
    public void stop() {
        for (ServiceProcess process : gateways) {
            if (process != null) {
                process.stop();
            }
        }
        for (ServiceProcess process : replicas) {
            if (process != null) {
                process.stop();
            }
        }
        try {
            kafka("stop");
        } finally {
            Stack.dropReplicationSlot(SLOT);
            admin("drop database if exists " + DB + " with (force)");
        }
    }

    @Override
    public void close() {
        stop();
    }

    public ServiceProcess replica(int i) {
        return replicas[i];
    }

    public ServiceProcess gatewayProcess(int i) {
        return gateways[i];
    }

    /** Kills replica {@code i} at once ({@code kill -9}). */
    public void kill(int i) {
        replicas[i].kill();
    }

    /** Starts replica {@code i} again (after {@link #kill}), and waits until it is healthy. */
    public void restart(int i) {
        relaunch(i);
        replicas[i].awaitHealthy(Duration.ofSeconds(180));
    }

    /** Starts replica {@code i} again (after {@link #kill}, else stopping it first) without waiting for it. */
    public void relaunch(int i) {
        replicas[i].stop(); // never two on one port: the first would go on reading the slot, unseen
        replicas[i] = stack.launchOrdersService(REPLICA_PORTS[i], replicaEnv());
    }

    /** Waits until replica {@code i} answers its health endpoint at all (UP or not); returns the status. */
    public int awaitAnswering(int i, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return new GraphQlClient(Stack.management(replicaUrl(i)).resolve("/actuator/health"), null).get().status();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("replica " + i + " does not answer", e);
                }
                ServiceProcess.sleep(200);
            }
        }
    }

    public URI gateway(int i) {
        return URI.create("http://127.0.0.1:" + GATEWAY_PORTS[i] + "/graphql");
    }

    public URI replicaUrl(int i) {
        return URI.create("http://127.0.0.1:" + REPLICA_PORTS[i] + "/graphql");
    }

    /** The changeCapture component of replica {@code i}'s health. */
    public JsonNode health(int i) {
        return new GraphQlClient(Stack.management(replicaUrl(i)).resolve("/actuator/health"), null).get()
                .json().path("components").path("changeCapture");
    }

    /** Each replica's role, by index, once one of them leads. */
    public List<String> roles() {
        awaitLeader(-1, Duration.ofSeconds(30));
        return List.of(health(0).path("details").path("role").asString(), health(1).path("details").path("role").asString());
    }

    /** The index of the replica that leads now. */
    public int leader() {
        return roles().indexOf("leader");
    }

    /** Waits until replica {@code i} (or, with -1, any) leads and is UP; returns {@link System#nanoTime()} then. */
    public long awaitLeader(int i, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int r = 0; r < 2; r++) {
                if ((i < 0 || i == r) && leadsAndIsUp(r)) {
                    return System.nanoTime();
                }
            }
            ServiceProcess.sleep(50);
        }
        throw new AssertionError("no leader within " + timeout + ": " + health(0) + " / " + health(1));
    }

    private boolean leadsAndIsUp(int r) {
        try {
            JsonNode capture = health(r);
            return "leader".equals(capture.path("details").path("role").asString()) && "UP".equals(capture.path("status").asString());
        } catch (RuntimeException e) {
            return false; // not answering (killed)
        }
    }

    /** Waits until replica {@code i} reports {@code role}. */
    public void awaitRole(int i, String role, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!role.equals(health(i).path("details").path("role").asString())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica " + i + " is not " + role + ": " + health(i));
            }
            ServiceProcess.sleep(100);
        }
    }

    /** Subscriptions open at replica {@code i}. */
    public int open(int i) {
        return (int) metric(i, "ordergraph.subscriptions.active");
    }

    /**
     * Subscriptions open at replica {@code i} once the count has held still for a second: a baseline that
     * a subscription the gateway is still closing for an earlier client cannot make too high (it would
     * then offset the new one's arrival, and {@link #awaitOpen} wait for nothing).
     */
    public int settledOpen(int i) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int count = open(i);
        long since = System.nanoTime();
        while (System.nanoTime() - since < 1_000_000_000L && System.nanoTime() < deadline) {
            ServiceProcess.sleep(100);
            int now = open(i);
            if (now != count) {
                count = now;
                since = System.nanoTime();
            }
        }
        return count;
    }

    /** The first measurement of the Micrometer meter {@code name} (with an optional {@code ?tag=} query) at replica {@code i}. */
    public double metric(int i, String name) {
        return new GraphQlClient(Stack.management(replicaUrl(i)).resolve("/actuator/metrics/" + name), null).get()
                .json().path("measurements").get(0).path("value").asDouble();
    }

    /** Waits until replica {@code i} holds more than {@code before} subscriptions (the gateway passed a new one on). */
    public void awaitOpen(int i, int before) {
        awaitOpenAtLeast(i, before + 1, Duration.ofSeconds(20));
    }

    /** Waits until replica {@code i} holds at least {@code count} subscriptions. */
    public void awaitOpenAtLeast(int i, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int open;
        while ((open = open(i)) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica " + i + " holds " + open + " subscriptions, expected " + count);
            }
            ServiceProcess.sleep(50);
        }
    }

    /** Waits until replica {@code i} holds at most {@code count} subscriptions (its clients' have closed). */
    public void awaitOpenAtMost(int i, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int open;
        while ((open = open(i)) > count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica " + i + " still holds " + open + " subscriptions, expected at most " + count);
            }
            ServiceProcess.sleep(200);
        }
    }

    /** Runs {@code statement} on the replicas' database. */
    public static int sql(String statement) {
        try (Connection db = orders(); Statement sql = db.createStatement()) {
            return sql.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    /** Inserts {@code count} orders of {@code owner}, one transaction each; their ids in commit order. */
    public static List<Long> insert(long owner, int count) {
        List<Long> ids = new ArrayList<>();
        try (Connection db = orders(); Statement sql = db.createStatement()) {
            for (int i = 0; i < count; i++) {
                try (var rs = sql.executeQuery("insert into orders (state, user_id) values ('UNPAID', " + owner + ") returning id")) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** A new connection to the replicas' database (autocommit). */
    public static Connection orders() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + Stack.PGHOST + ":" + Stack.PGPORT + "/" + DB, Stack.PGUSER, Stack.PGPASSWORD);
    }

    private ServiceProcess startReplica(int i) {
        return stack.startOrdersService(REPLICA_PORTS[i], replicaEnv());
    }

    private Map<String, String> replicaEnv() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ORDERS_DB", DB,
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + KAFKA_PORT,
                "ORDERGRAPH_CDC_SLOTNAME", SLOT,
                "ORDERGRAPH_CDC_PUBLICATIONNAME", SLOT,
                "ORDERGRAPH_CDC_KAFKA_TOPIC", TOPIC));
        settings.putAll(replicaSettings);
        return settings;
    }

    /** {@code scripts/kafka.sh start|stop} for the test broker. */
    public void kafka(String action) {
        try {
            Process process = new ProcessBuilder("bash", "scripts/kafka.sh", action, "e2e-tests/target/kafka", String.valueOf(KAFKA_PORT))
                    .directory(stack.root().toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("scripts/kafka.sh " + action + " failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void deleteKafkaData() {
        Path data = stack.root().resolve("e2e-tests/target/kafka");
        if (Files.exists(data)) {
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void admin(String statement) {
        Stack.admin(statement);
    }
}
