package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole supergraph as a user runs it: users-service and orders-service from their packaged jars,
 * the Hive gateway under Node, on fresh databases of the local PostgreSQL. Started once per test JVM
 * on ports of its own (so a running dev stack does not interfere) and stopped when the JVM exits.
 */
public final class Stack {

    public static final String JWT_SECRET = "e2e-test-secret-at-least-32-bytes-long-0123456789";
    /** The secret the test gateways sign their subgraph requests with, and the test services verify. */
    public static final String HMAC_SECRET = "e2e-gateway-hmac-secret-0123456789abcdef";
    /** A test service's management port (health, metrics) is its GraphQL port plus this. */
    public static final int MANAGEMENT_OFFSET = 2000;
    public static final int GATEWAY_PORT = Integer.getInteger("e2e.gatewayPort", 14000);
    public static final int USERS_PORT = Integer.getInteger("e2e.usersPort", 18081);
    public static final int ORDERS_PORT = Integer.getInteger("e2e.ordersPort", 18082);
    public static final String USERS_DB = "ordergraph_e2e_users";
    public static final String ORDERS_DB = "ordergraph_e2e_orders";
    /** Replication slots are per cluster, not per database: the tests' slot must not be a dev stack's. */
    public static final String CDC_SLOT = "ordergraph_e2e_orders";
    /** The port of {@link #productionUsersService()}. */
    public static final int PRODUCTION_USERS_PORT = 18095;
    /** How far a subscriber may fall behind before SLOW_CONSUMER (set by the build: small for tests). */
    public static final int CDC_MAX_LAG = Integer.parseInt(System.getProperty("e2e.cdcMaxLag", "20000"));
    static final String PGHOST = env("PGHOST", "127.0.0.1");
    static final String PGPORT = env("PGPORT", "5432");
    static final String PGUSER = env("PGUSER", "postgres");
    static final String PGPASSWORD = env("PGPASSWORD", "");

    private static Stack instance;
    private static RuntimeException startFailure;

    private final Path root = repoRoot();
    private final Path logs = root.resolve("e2e-tests/target/e2e-logs");
    private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
    public final ServiceProcess users;
    public final ServiceProcess orders;
    public final ServiceProcess gateway;
    private ServiceProcess productionUsers;
    /**
     * With {@code -De2e.tracing=sink}, every process of the stack traces every request and change, and
     * exports the spans in Zipkin's format to an endpoint that discards them (what tracing costs the
     * processes themselves: docs/benchmarks.md); with {@code zipkin}, to a Zipkin server on the same
     * machine. Otherwise nothing is traced.
     */
    private static final String TRACING = System.getProperty("e2e.tracing", "off");
    private static final boolean TRACED = TRACING.equals("sink") || TRACING.equals("zipkin");
    private static final int TRACING_PORT = 19419;
    private AutoCloseable spanReceiver;

    private Stack() {
        users = new ServiceProcess("users-service",
                List.of(javaCommand, "-jar", root.resolve("users-service/target/users-service.jar").toString()),
                root, serviceEnv(Map.of("USERS_PORT", String.valueOf(USERS_PORT), "USERS_DB", USERS_DB,
                        "USERS_MANAGEMENT_PORT", String.valueOf(USERS_PORT + MANAGEMENT_OFFSET))),
                health(USERS_PORT), logs);
        orders = new ServiceProcess("orders-service",
                List.of(javaCommand, "-jar", root.resolve("orders-service/target/orders-service.jar").toString()),
                root, serviceEnv(Map.of("ORDERS_PORT", String.valueOf(ORDERS_PORT), "ORDERS_DB", ORDERS_DB,
                        "ORDERGRAPH_CDC_SLOTNAME", CDC_SLOT, "ORDERGRAPH_CDC_PUBLICATIONNAME", CDC_SLOT,
                        "ORDERGRAPH_CDC_MAXLAG", String.valueOf(CDC_MAX_LAG),
                        "ORDERS_MANAGEMENT_PORT", String.valueOf(ORDERS_PORT + MANAGEMENT_OFFSET))),
                health(ORDERS_PORT), logs);
        gateway = gatewayProcess("gateway", GATEWAY_PORT, Map.of());
    }

    private ServiceProcess gatewayProcess(String name, int port, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_PORT", String.valueOf(port));
        env.put("USERS_URL", "http://127.0.0.1:" + USERS_PORT + "/graphql");
        env.put("ORDERS_URL", "http://127.0.0.1:" + ORDERS_PORT + "/graphql");
        env.put("AUTH_JWT_SECRET", JWT_SECRET);
        env.put("GATEWAY_HMAC_SECRET", HMAC_SECRET);
        env.put("SERVER_TIMING", "true"); // the benchmarks read the gateway's own time from it
        env.putAll(tracing());
        env.putAll(settings);
        // As npm start and the image run it (gateway/package.json, gateway/Dockerfile).
        List<String> command = new java.util.ArrayList<>(List.of("node", "--max-semi-space-size=64"));
        // For profiling a benchmark, e.g. -De2e.gatewayNodeOptions="--cpu-prof --cpu-prof-dir=/tmp/prof".
        String nodeOptions = System.getProperty("e2e.gatewayNodeOptions", "");
        if (!nodeOptions.isBlank()) {
            command.addAll(List.of(nodeOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("node_modules/@graphql-hive/gateway/dist/bin.js", "supergraph"));
        return new ServiceProcess(name, command,
                root.resolve("gateway"), env, URI.create("http://127.0.0.1:" + port + "/healthcheck"), logs);
    }

    /**
     * One more gateway in front of the test services with its own {@code settings} (which may point
     * {@code ORDERS_URL} elsewhere), started and healthy; the caller stops it.
     */
    public ServiceProcess startGateway(int port, Map<String, String> settings) {
        ServiceProcess extra = gatewayProcess("gateway-" + port, port, settings);
        extra.start();
        awaitHealthyOrStop(extra, Duration.ofSeconds(60));
        return extra;
    }

    /**
     * One more users-service on the test database with its own {@code settings} (e.g. atomic
     * mutations off), started and healthy; the caller stops it.
     */
    public ServiceProcess startUsersService(int port, Map<String, String> settings) {
        Map<String, String> own = new HashMap<>(settings);
        own.put("USERS_PORT", String.valueOf(port));
        own.put("USERS_DB", USERS_DB);
        own.put("USERS_MANAGEMENT_PORT", String.valueOf(port + MANAGEMENT_OFFSET));
        ServiceProcess service = new ServiceProcess("users-service-" + port,
                List.of(javaCommand, "-jar", root.resolve("users-service/target/users-service.jar").toString()),
                root, serviceEnv(own), health(port), logs);
        service.useCommand(startupCommand("users", service));
        service.start();
        awaitHealthyOrStop(service, Duration.ofSeconds(180));
        return service;
    }

    /**
     * A users-service run as in production, started on first use and shared by the tests that need one:
     * the {@code prod} profile, and only requests a gateway signed (no {@code SUBGRAPH_ALLOW_UNSIGNED}).
     * Stopped with the stack.
     */
    public synchronized ServiceProcess productionUsersService() {
        if (productionUsers == null) {
            productionUsers = startUsersService(PRODUCTION_USERS_PORT,
                    Map.of("SPRING_PROFILES_ACTIVE", "prod", "SUBGRAPH_ALLOW_UNSIGNED", "false"));
        }
        return productionUsers;
    }

    public URI productionUsersUrl() {
        productionUsersService();
        return URI.create("http://127.0.0.1:" + PRODUCTION_USERS_PORT + "/graphql");
    }

    /**
     * One more orders-service with its own {@code settings} (e.g. another PostgreSQL's {@code PGPORT},
     * database and slot), started from the start-up cache and healthy; the caller stops it.
     */
    public ServiceProcess startOrdersService(int port, Map<String, String> settings) {
        ServiceProcess service = launchOrdersService(port, settings);
        awaitHealthyOrStop(service, Duration.ofSeconds(180));
        return service;
    }

    /** Waits until {@code service} is healthy; stops it if it is not (it would keep its port, and its slot). */
    private static void awaitHealthyOrStop(ServiceProcess service, Duration timeout) {
        try {
            service.awaitHealthy(timeout);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** As {@link #startOrdersService} without waiting for it to be healthy. */
    public ServiceProcess launchOrdersService(int port, Map<String, String> settings) {
        Map<String, String> own = new HashMap<>(serviceEnv(Map.of("ORDERS_PORT", String.valueOf(port),
                "ORDERS_MANAGEMENT_PORT", String.valueOf(port + MANAGEMENT_OFFSET))));
        own.putAll(settings);
        ServiceProcess service = new ServiceProcess("orders-service-" + port,
                List.of(javaCommand, "-jar", root.resolve("orders-service/target/orders-service.jar").toString()),
                root, own, health(port), logs);
        service.useCommand(startupCommand("orders", service));
        service.start();
        return service;
    }

    /** The running stack, started on first use. */
    public static synchronized Stack get() {
        if (startFailure != null) {
            throw new IllegalStateException("The stack failed to start earlier; see the first failure", startFailure);
        }
        if (instance == null) {
            Stack stack = new Stack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "e2e-stack-stop"));
            try {
                stack.start();
            } catch (RuntimeException e) {
                stack.stop();
                startFailure = e;
                throw e;
            }
            instance = stack;
        }
        return instance;
    }

    public Path root() {
        return root;
    }

    public URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/graphql");
    }

    public URI usersUrl() {
        return URI.create("http://127.0.0.1:" + USERS_PORT + "/graphql");
    }

    public URI ordersUrl() {
        return URI.create("http://127.0.0.1:" + ORDERS_PORT + "/graphql");
    }

    /**
     * The management side (health, metrics) of the test service whose GraphQL endpoint is {@code serviceUrl}:
     * the same host on the port {@link #MANAGEMENT_OFFSET} above it. Resolve {@code /actuator/...} against it.
     */
    public static URI management(URI serviceUrl) {
        return URI.create("http://127.0.0.1:" + (serviceUrl.getPort() + MANAGEMENT_OFFSET) + "/");
    }

    private static URI health(int servicePort) {
        return URI.create("http://127.0.0.1:" + (servicePort + MANAGEMENT_OFFSET) + "/actuator/health");
    }

    /** SQL statements the service at {@code graphqlUrl} has prepared since it started (its db.statements.prepared metric). */
    public long sqlStatements(URI graphqlUrl) {
        return (long) metric(graphqlUrl, "db.statements.prepared");
    }

    /** GraphQL requests the service at {@code graphqlUrl} has answered since it started (entity fetches included). */
    public long graphqlRequests(URI graphqlUrl) {
        JsonNode count = new GraphQlClient(management(graphqlUrl).resolve("/actuator/metrics/graphql.request"), null).get()
                .json().path("measurements").path(0).path("value");
        return count.isMissingNode() ? 0 : count.asLong(); // the timer exists from the first request on
    }

    /** The first measurement of the Micrometer meter {@code name} at the service behind {@code graphqlUrl}. */
    public static double metric(URI graphqlUrl, String name) {
        return new GraphQlClient(management(graphqlUrl).resolve("/actuator/metrics/" + name), null).get()
                .json().path("measurements").get(0).path("value").asDouble();
    }

    /** Waits until orders-service holds at least {@code count} open subscriptions (the gateway has passed them on). */
    public void awaitSubscriptions(int count) {
        awaitSubscriptions(active -> active >= count, "at least " + count);
    }

    /**
     * Client subscriptions that are live end to end: those open at orders-service, plus the clients
     * the gateway serves from a shared upstream subscription beyond the one that subscription counts
     * there (a shared stream opened at the gateway but not yet at orders-service counts none of its
     * clients). The gateway closes a subscription upstream only when the next event for it arrives
     * after its client left, so earlier tests' subscriptions may linger: tests count from this baseline.
     */
    public int activeSubscriptions() {
        awaitSharedSubscriptionsClosed();
        return liveSubscriptions();
    }

    /**
     * Waits (a few seconds at most) until the gateway serves no client from a shared subscription: the
     * gateway takes a moment to see the clients of an earlier test go, and counting them into a
     * baseline would make it too high.
     */
    private void awaitSharedSubscriptionsClosed() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (gatewayMetrics().getOrDefault("ordergraph_gateway_shared_subscriptions", 0.0) > 0 && System.nanoTime() < deadline) {
            ServiceProcess.sleep(50);
        }
    }

    /** Subscriptions open at orders-service itself: a shared stream at the gateway is one, however many clients it serves. */
    public int upstreamSubscriptions() {
        return (int) metric(ordersUrl(), "ordergraph.subscriptions.active");
    }

    private int liveSubscriptions() {
        Map<String, Double> gateway = gatewayMetrics();
        int sharedClients = gateway.getOrDefault("ordergraph_gateway_shared_subscriptions", 0.0).intValue();
        int sharedStreams = gateway.getOrDefault("ordergraph_gateway_shared_streams", 0.0).intValue();
        return (int) metric(ordersUrl(), "ordergraph.subscriptions.active") + sharedClients - sharedStreams;
    }

    /** The gateway's Prometheus samples without labels, by name. */
    public Map<String, Double> gatewayMetrics() {
        String text = new GraphQlClient(URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/metrics"), null).get().body();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split(" ");
            if (!line.startsWith("#") && parts.length == 2 && !parts[0].contains("{")) {
                samples.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return samples;
    }

    /** Changes orders-service has published since it started (its ordergraph.changes.events counter). */
    public long changesPublished() {
        return (long) metric(ordersUrl(), "ordergraph.changes.events");
    }

    /** Waits until orders-service has published at least {@code count} changes since it started. */
    public void awaitChangesPublished(long count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (changesPublished() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("orders-service published " + changesPublished() + " changes, expected " + count);
            }
            ServiceProcess.sleep(50);
        }
    }

    public void awaitSubscriptions(java.util.function.IntPredicate done, String expected) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        int active = -1;
        while (System.nanoTime() < deadline) {
            active = liveSubscriptions();
            if (done.test(active)) {
                return;
            }
            ServiceProcess.sleep(50);
        }
        throw new AssertionError("orders-service has " + active + " subscriptions, expected " + expected);
    }

    public static Connection usersDb() throws SQLException {
        return connect(USERS_DB);
    }

    public static Connection ordersDb() throws SQLException {
        return connect(ORDERS_DB);
    }

    private void start() {
        if (!Files.isDirectory(root.resolve("gateway/node_modules"))) {
            throw new IllegalStateException("gateway/node_modules is missing: run `npm ci` in gateway/ (make test does).");
        }
        recreateDatabases();
        if (TRACED) {
            spanReceiver = TRACING.equals("zipkin") ? Zipkin.start(TRACING_PORT) : SpanSink.start(TRACING_PORT);
        }
        // Everything starts at once: the gateway composes nothing at start (it reads the supergraph file)
        // and asks a subgraph only when a request comes. As `make run` does, each service starts from its
        // ahead-of-time cache, built once per jar (a full start of the service: the two are built together).
        gateway.start();
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> startFromCache("users", users)),
                CompletableFuture.runAsync(() -> startFromCache("orders", orders))).join();
        // On two cores each JVM takes 15-30 s.
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> users.awaitHealthy(Duration.ofSeconds(180))),
                CompletableFuture.runAsync(() -> orders.awaitHealthy(Duration.ofSeconds(180))),
                CompletableFuture.runAsync(() -> gateway.awaitHealthy(Duration.ofSeconds(60)))).join();
    }

    private void startFromCache(String name, ServiceProcess service) {
        service.useCommand(startupCommand(name, service));
        service.start();
    }

    /**
     * The command that starts {@code service} from its start-up cache, which scripts/aot-cache.sh builds
     * (with the service's own environment: the training run connects to its database) when the jar changed.
     */
    private List<String> startupCommand(String service, ServiceProcess process) {
        ProcessBuilder builder = new ProcessBuilder("bash", "scripts/aot-cache.sh", service).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(process.env());
        // The JVM that runs the services must be the one that built the cache: this one.
        builder.environment().put("JAVA_HOME", Path.of(javaCommand).getParent().getParent().toString());
        try {
            Process script = builder.start();
            String args = new String(script.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (script.waitFor() != 0 || args.isEmpty()) {
                throw new IllegalStateException("scripts/aot-cache.sh " + service + " failed");
            }
            List<String> command = new java.util.ArrayList<>();
            command.add(javaCommand);
            command.addAll(List.of(args.split("\\s+")));
            return command;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        if (productionUsers != null) {
            productionUsers.stop();
        }
        gateway.stop();
        orders.stop();
        users.stop();
        dropReplicationSlot(CDC_SLOT);
        dropPublication();
        if (spanReceiver != null) {
            try {
                spanReceiver.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What makes a process of the stack trace into its Zipkin server; nothing unless {@code e2e.tracing} asks. */
    private static Map<String, String> tracing() {
        return TRACED ? Zipkin.exportTo(TRACING_PORT) : Map.of();
    }

    /** A slot nobody reads keeps WAL forever: the tests remove the ones they made (once no service reads it). */
    public static void dropReplicationSlot(String slot) {
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            for (int attempt = 0; attempt < 40; attempt++) {
                // The stopped service's walsender may take a moment to release the slot.
                try (var rs = sql.executeQuery("select active from pg_replication_slots where slot_name = '" + slot + "'")) {
                    if (!rs.next()) {
                        break;
                    }
                    if (!rs.getBoolean(1)) {
                        sql.execute("select pg_drop_replication_slot('" + slot + "')");
                        break;
                    }
                }
                ServiceProcess.sleep(250);
            }
        } catch (SQLException e) {
            System.err.println("Could not drop the replication slot " + slot + ": " + e.getMessage());
        }
    }

    private static void dropPublication() {
        try (Connection orders = connect(ORDERS_DB); Statement sql = orders.createStatement()) {
            sql.execute("drop publication if exists " + CDC_SLOT);
        } catch (SQLException e) {
            // the database does not exist yet: nothing to drop
        }
    }

    private static void recreateDatabases() {
        dropReplicationSlot(CDC_SLOT); // left by a run that was killed: it would point into the dropped database
        dropPublication();
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            for (String db : List.of(USERS_DB, ORDERS_DB)) {
                sql.execute("drop database if exists " + db + " with (force)");
                sql.execute("create database " + db);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the test databases on " + PGHOST + ":" + PGPORT, e);
        }
    }

    private static Map<String, String> serviceEnv(Map<String, String> own) {
        Map<String, String> env = new HashMap<>(own);
        env.put("AUTH_JWT_SECRET", JWT_SECRET);
        // Test gateways sign with the secret (every request through them is verified), and the tests may
        // also call a subgraph directly (SUBGRAPH_ALLOW_UNSIGNED, for development and tests only);
        // SignedSubgraphTest runs services without that setting.
        env.put("GATEWAY_HMAC_SECRET", HMAC_SECRET);
        env.putIfAbsent("SUBGRAPH_ALLOW_UNSIGNED", "true");
        env.put("USERS_URL", "http://127.0.0.1:" + USERS_PORT + "/graphql");
        env.put("PGHOST", PGHOST);
        env.put("PGPORT", PGPORT);
        env.put("PGUSER", PGUSER);
        env.put("PGPASSWORD", PGPASSWORD);
        env.put("JAVA_TOOL_OPTIONS", "-Xmx512m");
        env.putAll(tracing());
        return env;
    }

    /** Runs {@code statement} on the server's {@code postgres} database (creates or drops a test database). */
    public static void admin(String statement) {
        try (Connection admin = connect("postgres"); Statement sql = admin.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    private static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PGHOST + ":" + PGPORT + "/" + db, PGUSER, PGPASSWORD);
    }

    static Path repoRoot() {
        String configured = System.getProperty("repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("schema")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("Cannot find the repository root from " + start);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
