package dev.ordergraph.e2e.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, its own port), for faults
 * that would disturb everything else on the machine's server: stopping and restarting it. Uses the
 * server binaries of the installed PostgreSQL ({@code PG_BINDIR}, else {@code pg_config --bindir}, else
 * the newest {@code /usr/lib/postgresql/<version>/bin}). PostgreSQL refuses to run as root, so under
 * root it runs as the {@code postgres} user. {@link #close()} stops it and deletes everything, its
 * replication slots included.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser = "root".equals(System.getProperty("user.name"));

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** A new server, initialised with logical replication on, and started. */
    public static PrivatePostgres start() {
        Path bin = serverBinaries();
        try {
            Path dir = Files.createTempDirectory("ordergraph-e2e-pg-");
            PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort());
            if (pg.asPostgresUser) {
                run(List.of("chown", "postgres", dir.toString()));
            }
            pg.pg("initdb", "-D", pg.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("Could not create a directory for a private PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    public void createDatabase(String name) {
        try (Connection admin = connect("postgres"); var sql = admin.createStatement()) {
            sql.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code pg_ctl stop -m fast}: open sessions are ended, as a restart or a failover does. */
    public void stopServer() {
        pg("pg_ctl", "-D", data(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    public void startServer() {
        pg("pg_ctl", "-D", data(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c wal_level=logical"
                        + " -c max_replication_slots=4 -c max_wal_senders=4 -c fsync=off", "start");
    }

    @Override
    public void close() {
        try {
            pg("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop");
        } catch (IllegalStateException e) {
            // not running
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private void pg(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path serverBinaries() {
        String configured = System.getenv("PG_BINDIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Process pgConfig = new ProcessBuilder("pg_config", "--bindir").start();
            Path bin = Path.of(new String(pgConfig.getInputStream().readAllBytes()).trim());
            if (pgConfig.waitFor() == 0 && Files.isExecutable(bin.resolve("initdb"))) {
                return bin;
            }
        } catch (IOException e) {
            // no pg_config: look where Debian and Ubuntu put the server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL's server binaries (initdb, pg_ctl) were not found: set PG_BINDIR", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
