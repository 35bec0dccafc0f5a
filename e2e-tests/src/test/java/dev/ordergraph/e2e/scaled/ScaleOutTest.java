package dev.ordergraph.e2e.scaled;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.ServiceProcess;
import dev.ordergraph.e2e.support.Stack;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale-out mode on real processes: a Kafka broker (scripts/kafka.sh, from Apache Kafka's jars),
 * two orders-service replicas on a database of their own, and a gateway in front of each. One replica
 * reads the slot and publishes; both serve every change from the topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    private static final int KAFKA_PORT = 19092;
    private static final int[] REPLICA_PORTS = {18084, 18085};
    private static final int[] GATEWAY_PORTS = {14084, 14085};
    private static final String DB = "ordergraph_e2e_scaled";
    private static final String SLOT = "ordergraph_e2e_scaled";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BATCHES = """
            subscription($filter: OrderFilter, $after: String) {
              orderChangeBatches(filter: $filter, after: $after) { cursor changes { action cursor order { id state } } }
            }""";

    private static Stack stack;
    private static final ServiceProcess[] replicas = new ServiceProcess[2];
    private static final ServiceProcess[] gateways = new ServiceProcess[2];

    @BeforeAll
    static void startTheScaledStack() throws Exception {
        stack = Stack.get();
        kafka("stop");
        deleteKafkaData();
        kafka("start");
        Stack.dropReplicationSlot(SLOT);
        try (Connection admin = admin(); Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + DB + " with (force)");
            sql.execute("create database " + DB);
        }
        for (int i = 0; i < 2; i++) {
            replicas[i] = startReplica(i);
        }
        for (int i = 0; i < 2; i++) {
            gateways[i] = stack.startGateway(GATEWAY_PORTS[i], Map.of("ORDERS_URL", "http://127.0.0.1:" + REPLICA_PORTS[i] + "/graphql"));
        }
    }

    @AfterAll
    static void stopIt() throws Exception {
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
        kafka("stop");
        Stack.dropReplicationSlot(SLOT);
        try (Connection admin = admin(); Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + DB + " with (force)");
        }
    }

    @Test
    @Order(1)
    void exactlyOneReplicaLeadsAndABulkUpdateReachesSubscribersOnBothOnceInOrderWithTheSameCursors() throws Exception {
        assertThat(roles()).containsExactlyInAnyOrder("leader", "follower");
        long owner = TestData.user("scaled");
        Map<String, Object> filter = Map.of("filter", Map.of("userId", TestData.globalId("User", owner)));
        String staff = Tokens.staff(TestData.user("scaledstaff"));
        int[] before = {open(0), open(1)};
        try (GraphQlWsClient a = GraphQlWsClient.subscribe(gateway(0), staff, BATCHES, filter);
             GraphQlWsClient b = GraphQlWsClient.subscribe(gateway(1), staff, BATCHES, filter)) {
            awaitOpen(0, before[0]);
            awaitOpen(1, before[1]);
            sql("insert into orders (date, state, user_id) select date '2026-06-01', 'UNPAID', " + owner + " from generate_series(1, 1000)");
            sql("update orders set state = 'PAID' where user_id = " + owner);

            List<JsonNode> onA = changes(a, 2000);
            List<JsonNode> onB = changes(b, 2000);
            a.assertNothingFor(Duration.ofSeconds(1));
            b.assertNothingFor(Duration.ofSeconds(1));
            assertThat(onA.subList(0, 1000)).allSatisfy(c -> assertThat(c.path("action").asString()).isEqualTo("CREATED"));
            assertThat(onA.subList(1000, 2000)).allSatisfy(c -> assertThat(c.path("action").asString()).isEqualTo("UPDATED"));
            assertThat(onA.stream().map(c -> c.path("cursor").asString()).distinct()).hasSize(2000);
            assertThat(onB.stream().map(c -> c.path("cursor").asString()).toList())
                    .as("the same changes, in the same order, with the same cursors on both replicas")
                    .containsExactlyElementsOf(onA.stream().map(c -> c.path("cursor").asString()).toList());
        }
    }

    @Test
    @Order(2)
    void aClientThatReadPartOfAStreamOnOneReplicaResumesOnTheOtherWithExactlyTheRest() throws Exception {
        long owner = TestData.user("scaledresume");
        String token = Tokens.viewer(owner);
        String resumeAt;
        List<String> all = new ArrayList<>();
        int before = open(0);
        try (GraphQlWsClient a = GraphQlWsClient.subscribe(gateway(0), token, BATCHES, Map.of())) {
            awaitOpen(0, before);
            for (int i = 0; i < 10; i++) {
                sql("insert into orders (state, user_id) values ('PAID', " + owner + ")");
            }
            changes(a, 10).forEach(c -> all.add(c.path("cursor").asString()));
            resumeAt = all.get(3);
        }
        // At once: the other replica may not have read that far yet; it looks for the cursor a moment longer.
        try (GraphQlWsClient b = GraphQlWsClient.subscribe(gateway(1), token, BATCHES, Map.of("after", resumeAt))) {
            List<String> rest = changes(b, 6).stream().map(c -> c.path("cursor").asString()).toList();
            b.assertNothingFor(Duration.ofSeconds(1));
            assertThat(rest).containsExactlyElementsOf(all.subList(4, 10));
        }
        String unknown = TestData.changeCursor(1, 1, 0);
        for (int i = 0; i < 2; i++) {
            try (GraphQlWsClient client = GraphQlWsClient.subscribe(gateway(i), token, BATCHES, Map.of("after", unknown))) {
                assertThat(String.valueOf(client.poll(WAIT))).as("replica " + i).contains("CURSOR_EXPIRED");
            }
        }
    }

    @Test
    @Order(3)
    void whenTheLeaderIsKilledTheOtherTakesOverAndItsSubscribersGetEveryChangeOnceInOrder() throws Exception {
        int leader = roles().indexOf("leader");
        int survivor = 1 - leader;
        long owner = TestData.user("failover");
        String token = Tokens.viewer(owner);
        List<Long> written = new ArrayList<>();
        int before = open(survivor);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(gateway(survivor), token, BATCHES, Map.of())) {
            awaitOpen(survivor, before);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (writing.get()) { // one transaction per order, while the leader dies
                    try {
                        List<Long> ids = insert(owner, 1);
                        synchronized (written) {
                            written.addAll(ids);
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Thread.sleep(1000);
            long killed = System.nanoTime();
            replicas[leader].kill();
            long takeover = awaitLeader(survivor, Duration.ofSeconds(30));
            System.out.println("[scale-out] leader killed to the other leading: " + (takeover - killed) / 1_000_000 + " ms");
            Thread.sleep(1000);
            writing.set(false);
            writer.get();

            List<Long> received = changes(client, written.size()).stream()
                    .map(c -> TestData.databaseId(c.path("order").path("id").asString())).toList();
            client.assertNothingFor(Duration.ofSeconds(1));
            assertThat(received).as("every change once, in commit order").containsExactlyElementsOf(written);
            // The 5 s target is measured on a quiet machine (3.8 s; docs/benchmarks.md); under the whole suite on
            // two cores it ran 5.25 s once, so this only catches a takeover that waits on something it should not.
            assertThat((takeover - killed) / 1_000_000).as("takeover").isLessThan(10_000);
        } finally {
            writing.set(false);
            replicas[leader] = startReplica(leader);
        }
        assertThat(roles()).containsExactlyInAnyOrder("leader", "follower");
    }

    @Test
    @Order(4)
    void aPausedLeaderIsReplacedAndOnceResumedPublishesNothingAndTheTopicHoldsEachChangeOnce() throws Exception {
        int zombie = roles().indexOf("leader");
        int other = 1 - zombie;
        long owner = TestData.user("zombie");
        String token = Tokens.viewer(owner);
        List<Long> written = new ArrayList<>();
        int before = open(other);
        try (GraphQlWsClient client = GraphQlWsClient.subscribe(gateway(other), token, BATCHES, Map.of())) {
            awaitOpen(other, before);
            replicas[zombie].signal("STOP");
            long paused = System.nanoTime();
            try {
                long takeover = awaitLeader(other, Duration.ofSeconds(40));
                System.out.println("[scale-out] leader paused to the other leading: " + (takeover - paused) / 1_000_000 + " ms");
                written.addAll(insert(owner, 5));
            } finally {
                replicas[zombie].signal("CONT");
            }
            awaitRole(zombie, "follower", Duration.ofSeconds(30)); // it finds its lock session ended and steps down
            written.addAll(insert(owner, 5));

            List<Long> received = changes(client, written.size()).stream()
                    .map(c -> TestData.databaseId(c.path("order").path("id").asString())).toList();
            client.assertNothingFor(Duration.ofSeconds(1));
            assertThat(received).containsExactlyElementsOf(written);
        }
        List<String> positions = topicPositions();
        assertThat(positions).as("each change once on the topic").doesNotHaveDuplicates();
        assertThat(roles()).containsExactlyInAnyOrder("leader", "follower");
    }

    @Test
    @Order(5)
    void aKafkaBrokerRestartPausesTheStreamAndThenEveryChangeArrivesOnceInOrderOnBothReplicas() throws Exception {
        long owner = TestData.user("brokerrestart");
        String token = Tokens.viewer(owner);
        List<Long> written = new ArrayList<>();
        int[] before = {open(0), open(1)};
        try (GraphQlWsClient a = GraphQlWsClient.subscribe(gateway(0), token, BATCHES, Map.of());
             GraphQlWsClient b = GraphQlWsClient.subscribe(gateway(1), token, BATCHES, Map.of())) {
            awaitOpen(0, before[0]);
            awaitOpen(1, before[1]);
            written.addAll(insert(owner, 3));
            List<JsonNode> onA = new ArrayList<>(changes(a, 3));
            List<JsonNode> onB = new ArrayList<>(changes(b, 3));

            kafka("stop");
            written.addAll(insert(owner, 3)); // committed while the broker is down
            kafka("start");
            written.addAll(insert(owner, 3));

            onA.addAll(changes(a, 6));
            onB.addAll(changes(b, 6));
            a.assertNothingFor(Duration.ofSeconds(1));
            b.assertNothingFor(Duration.ofSeconds(1));
            for (List<JsonNode> received : List.of(onA, onB)) {
                assertThat(received.stream().map(c -> TestData.databaseId(c.path("order").path("id").asString())).toList())
                        .containsExactlyElementsOf(written);
            }
        }
        assertThat(topicPositions()).doesNotHaveDuplicates();
    }

    private static List<Long> insert(long owner, int count) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) { // one transaction each
            try (Connection db = orders(); Statement sql = db.createStatement();
                 var rs = sql.executeQuery("insert into orders (state, user_id) values ('UNPAID', " + owner + ") returning id")) {
                rs.next();
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static void awaitRole(int i, String role, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!role.equals(health(i).path("details").path("role").asString())) {
            assertThat(System.nanoTime()).as("replica " + i + " " + role + ": " + health(i)).isLessThan(deadline);
            ServiceProcess.sleep(100);
        }
    }

    /** The log position of every committed message on the changes topic, in order. */
    private static List<String> topicPositions() {
        var partition = new org.apache.kafka.common.TopicPartition("ordergraph.e2e.changes", 0);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
                "bootstrap.servers", "127.0.0.1:" + KAFKA_PORT,
                "isolation.level", "read_committed",
                "key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class,
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> positions = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode message = tools.jackson.databind.json.JsonMapper.builder().build().readTree(record.value());
                    positions.add(message.path("txId").asLong() + "/" + message.path("lsn").asLong() + "/" + message.path("ordinal").asInt());
                }
            }
            assertThat(consumer.position(partition)).as("read the whole topic").isEqualTo(end);
            return positions;
        }
    }

    private static ServiceProcess startReplica(int i) {
        return stack.startOrdersService(REPLICA_PORTS[i], Map.of(
                "ORDERS_DB", DB,
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + KAFKA_PORT,
                "ORDERGRAPH_CDC_SLOTNAME", SLOT,
                "ORDERGRAPH_CDC_PUBLICATIONNAME", SLOT,
                "ORDERGRAPH_CDC_KAFKA_TOPIC", "ordergraph.e2e.changes"));
    }

    private static URI gateway(int i) {
        return URI.create("http://127.0.0.1:" + GATEWAY_PORTS[i] + "/graphql");
    }

    private static JsonNode health(int i) {
        return new GraphQlClient(URI.create("http://127.0.0.1:" + REPLICA_PORTS[i] + "/actuator/health"), null).get()
                .json().path("components").path("changeCapture");
    }

    /** Each replica's role, by index, once one of them leads. */
    private static List<String> roles() {
        awaitLeader(-1, Duration.ofSeconds(30));
        return List.of(health(0).path("details").path("role").asString(), health(1).path("details").path("role").asString());
    }

    /** Waits until replica {@code i} (or, with -1, any) leads and is UP; returns {@link System#nanoTime()} then. */
    private static long awaitLeader(int i, Duration timeout) {
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

    private static boolean leadsAndIsUp(int r) {
        try {
            JsonNode capture = health(r);
            return "leader".equals(capture.path("details").path("role").asString()) && "UP".equals(capture.path("status").asString());
        } catch (RuntimeException e) {
            return false; // not answering (killed)
        }
    }

    /** Subscriptions open at replica {@code i}. */
    private static int open(int i) {
        URI metric = URI.create("http://127.0.0.1:" + REPLICA_PORTS[i] + "/actuator/metrics/ordergraph.subscriptions.active");
        return (int) new GraphQlClient(metric, null).get().json().path("measurements").get(0).path("value").asDouble();
    }

    /** Waits until replica {@code i} holds more than {@code before} subscriptions (the gateway passed a new one on). */
    private static void awaitOpen(int i, int before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (open(i) <= before) {
            assertThat(System.nanoTime()).as("subscription open at replica " + i).isLessThan(deadline);
            ServiceProcess.sleep(50);
        }
    }

    private static List<JsonNode> changes(GraphQlWsClient client, int count) {
        List<JsonNode> changes = new ArrayList<>();
        while (changes.size() < count) {
            client.awaitData(1, WAIT).getFirst().path("orderChangeBatches").path("changes").forEach(changes::add);
        }
        assertThat(changes).hasSize(count);
        return changes;
    }

    private static void sql(String statement) throws SQLException {
        try (Connection db = orders(); Statement sql = db.createStatement()) {
            sql.execute(statement);
        }
    }

    private static Connection orders() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + env("PGPORT", "5432") + "/" + DB, env("PGUSER", "postgres"), env("PGPASSWORD", ""));
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + env("PGPORT", "5432") + "/postgres", env("PGUSER", "postgres"), env("PGPASSWORD", ""));
    }

    private static void kafka(String action) throws Exception {
        Process process = new ProcessBuilder("bash", "scripts/kafka.sh", action, "e2e-tests/target/kafka", String.valueOf(KAFKA_PORT))
                .directory(stack.root().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("scripts/kafka.sh " + action + ": " + output).isZero();
    }

    private static void deleteKafkaData() throws Exception {
        java.nio.file.Path data = stack.root().resolve("e2e-tests/target/kafka");
        if (java.nio.file.Files.exists(data)) {
            try (var files = java.nio.file.Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
