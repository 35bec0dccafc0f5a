package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.origin.OriginMark;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the replication slot with Debezium's embedded engine, on its own thread, and hands each batch
 * of {@code orders} changes to the handler; the engine commits its offset (kept in PostgreSQL) once the
 * handler returns. If the engine stops with an error (the database restarted, the replication
 * connection was killed) it is started again after a pause; it resumes from its stored offset, so
 * nothing committed meanwhile is lost. The embedded mode's source; in the scale-out mode, the one the
 * elected leader runs.
 */
public class DebeziumChangeSource implements ChangeSource {

    /** Engine states, as health reports them. */
    public enum State { STOPPED, STARTING, RUNNING, RESTARTING, FAILED }

    /** The bean name of the slot's reader in either mode, by which its health finds it. */
    public static final String SLOT_READER = "slotReader";

    private static final Logger log = LoggerFactory.getLogger(DebeziumChangeSource.class);

    private final CdcProperties properties;
    private final DataSourceProperties dataSource;
    // New for every start: a replica that leads, loses the lead and wins it again starts the engine again.
    private volatile ExecutorService engineThread;
    private volatile ScheduledExecutorService restarts;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile State state = State.STOPPED;
    private volatile String lastError;
    private volatile Instant lastBatchAt;
    private volatile boolean running;
    private volatile Handler handler;
    /** Numbers, attributes and completes the changes of each transaction (engine thread only). */
    private final TransactionAssembler transactions = new TransactionAssembler();

    public DebeziumChangeSource(CdcProperties properties, DataSourceProperties dataSource) {
        this.properties = properties;
        this.dataSource = dataSource;
    }

    @Override
    public void start(Handler handler) {
        this.handler = handler;
        engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-orders"));
        restarts = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "debezium-restart"));
        running = true;
        launch();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        restarts.shutdownNow();
        closeEngine();
        engineThread.shutdown();
        try {
            engineThread.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    /** When the engine last handed over a batch with a change of {@code orders}; {@code null} before. */
    public Instant lastBatchAt() {
        return lastBatchAt;
    }

    private synchronized void launch() {
        if (!running) {
            return; // stopped while this restart was waiting
        }
        state = State.STARTING;
        transactions.reset(); // a restarted engine redelivers from its last committed offset
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::handleBatch)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state = State.RUNNING;
                        lastError = null;
                        log.info("Reading changes of orders from slot {}", properties.slotName());
                    }
                })
                .using((success, message, error) -> onEngineStopped(success, message, error))
                .build();
        engineThread.execute(engine);
    }

    /**
     * Hands the batch's complete changes over, then marks as processed the records up to the one whose
     * change is held back (see {@link TransactionAssembler}): the committed offset never passes a change
     * not yet handed over, so a restart reads it again.
     */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<CapturedChange> changes = new ArrayList<>(records.size());
        int held = transactions.holding() ? 0 : -1; // the record of the change held back; 0: one of an earlier batch
        for (int i = 0; i < records.size(); i++) {
            LogRecord decoded = ChangeRecordDecoder.decode(records.get(i).record());
            if (decoded == null) {
                continue;
            }
            transactions.accept(decoded, changes);
            if (decoded instanceof LogRecord.Row) {
                held = i;
            } else if (!transactions.holding()) {
                held = -1;
            }
        }
        if (!changes.isEmpty()) {
            handler.accept(changes);
            lastBatchAt = Instant.now();
        }
        int processed = held < 0 ? records.size() : held;
        for (int i = 0; i < processed; i++) {
            committer.markProcessed(records.get(i));
        }
        committer.markBatchFinished();
    }

    private void onEngineStopped(boolean success, String message, Throwable error) {
        if (!running) {
            return;
        }
        lastError = describe(error, message);
        state = State.RESTARTING;
        log.warn("The change data capture engine stopped ({}); restarting in {}", lastError, properties.restartDelay());
        restarts.schedule(() -> {
            if (running) {
                launch();
            }
        }, properties.restartDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The innermost cause names the real problem; Debezium's outer messages may embed the whole
     * connector configuration, credentials included, so they are neither logged nor reported.
     */
    private static String describe(Throwable error, String message) {
        if (error == null) {
            return message == null ? "stopped" : message.replaceAll("\\{.*", "").trim();
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = String.valueOf(root.getMessage()).replaceAll("\\{.*", "").trim();
        return root.getClass().getSimpleName() + ": " + text;
    }

    private void closeEngine() {
        DebeziumEngine<?> current = engine;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                // The async engine refuses to close once it has stopped by itself (its handler failed).
                log.debug("Closing the change data capture engine: {}", e.toString());
            }
        }
    }

    private Properties engineProperties() {
        URI jdbc = URI.create(dataSource.getUrl().substring("jdbc:".length()));
        Properties p = new Properties();
        // The engine's name keys its stored offset: one per slot, so a slot made anew (or another slot on
        // the same database) never starts from a position another slot confirmed, which PostgreSQL no
        // longer holds for it (the engine would fail to start, again and again).
        p.setProperty("name", "ordergraph-" + properties.slotName());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", "ordergraph");
        p.setProperty("database.hostname", jdbc.getHost());
        p.setProperty("database.port", String.valueOf(jdbc.getPort() > 0 ? jdbc.getPort() : 5432));
        p.setProperty("database.dbname", jdbc.getPath().substring(1));
        p.setProperty("database.user", dataSource.getUsername());
        p.setProperty("database.password", dataSource.getPassword() == null ? "" : dataSource.getPassword());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", properties.slotName());
        p.setProperty("publication.name", properties.publicationName());
        // The publication covers orders only: other tables' changes never leave the server.
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "public.orders");
        // Subscribers want what commits from now on; the table's existing rows are read by queries.
        p.setProperty("snapshot.mode", "no_data");
        // Where each transaction ends (a record after its last change), and the origin marks mutations
        // write into their transactions (logical-decoding messages; no other prefix is read).
        p.setProperty("provide.transaction.metadata", "true");
        p.setProperty("message.prefix.include.list", OriginMark.PREFIX.replace(".", "\\."));
        // How long the WAL reader pauses when nothing came, and how long the queue gathers a batch. Debezium's
        // own queue held a lone change for the rest of its poll and spun through the last millisecond of every
        // poll (48% of a core idle at 1 ms); the service's ChangeEventQueue (io.debezium.connector.base) hands
        // a change after a quiet spell over at once and sleeps while idle (6% of a core at 1 ms, measured).
        p.setProperty("poll.interval.ms", String.valueOf(properties.pollInterval().toMillis()));
        p.setProperty("heartbeat.interval.ms", String.valueOf(properties.heartbeatInterval().toMillis()));
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", dataSource.getUrl());
        p.setProperty("offset.storage.jdbc.connection.user", dataSource.getUsername());
        // The JDBC offset store insists on a password; without one (trust or peer authentication) any value does.
        p.setProperty("offset.storage.jdbc.connection.password",
                dataSource.getPassword() == null || dataSource.getPassword().isEmpty() ? "-" : dataSource.getPassword());
        p.setProperty("offset.storage.jdbc.table.name", properties.offsetTable());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("converter.schemas.enable", "false");
        p.setProperty("tombstones.on.delete", "false");
        // A lost replication connection (walsender terminated, failover, network, a PostgreSQL restart) is
        // a retriable error: the engine reconnects by itself, every reconnectDelay until it succeeds;
        // onEngineStopped covers the rest. The delay is constant on purpose: the engine never resets
        // its backoff after a success, so an exponential one grew with every loss over the process's
        // life (0.7, 0.9, 1.5, 2.7, 5.1 s for five walsender kills, measured). Debezium's own restart
        // wait (10 s by default) is cut to the same delay.
        long reconnectMillis = properties.reconnectDelay().toMillis();
        p.setProperty("errors.max.retries", "-1");
        p.setProperty("errors.retry.delay.initial.ms", String.valueOf(reconnectMillis));
        p.setProperty("errors.retry.delay.max.ms", String.valueOf(reconnectMillis + 1)); // must exceed the initial delay
        p.setProperty("retriable.restart.connector.wait.ms", String.valueOf(reconnectMillis));
        return p;
    }
}
