package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.CdcProperties;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the engine holds its replication connection, and what happened to it since the service
 * started: how many times it was lost, when the last loss began and when it was restored. Debezium
 * reconnects by itself after a retriable error (PostgreSQL restarted, the walsender killed) without
 * telling the application, so this reads its own streaming metrics ({@code Connected} on its JMX bean,
 * absent while the connector task restarts) four times a second. Health and metrics show it, so an
 * outage is still visible after it ended.
 */
public class CaptureConnectionWatch implements SmartLifecycle {

    /** What health shows; the instants are {@code null} until the first loss. */
    public record History(boolean connected, long losses, Instant lastLostAt, Instant lastRestoredAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(CaptureConnectionWatch.class);
    private static final long PERIOD_MILLIS = 250;

    private final CdcProperties properties;
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName streamingMetrics;
    private ScheduledExecutorService timer;
    private volatile History history = new History(false, 0, null, null);
    private boolean everConnected;

    public CaptureConnectionWatch(CdcProperties properties, MeterRegistry registry) throws JMException {
        this.properties = properties;
        this.streamingMetrics = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,*");
        Gauge.builder("ordergraph.cdc.connected", this, w -> w.history.connected() ? 1 : 0)
                .description("1 while the change data capture engine holds its replication connection").register(registry);
        FunctionCounter.builder("ordergraph.cdc.connection.losses", this, w -> w.history.losses())
                .description("Times the replication connection was lost since the service started").register(registry);
    }

    public History history() {
        return history;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cdc-connection-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::look, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    private void look() {
        boolean connected = connected();
        History was = history;
        if (connected == was.connected()) {
            return;
        }
        Instant now = Instant.now();
        if (connected) {
            history = new History(true, was.losses(), was.lastLostAt(), everConnected ? now : null);
            if (everConnected) {
                log.info("Replication connection restored after {} ms", now.toEpochMilli() - was.lastLostAt().toEpochMilli());
            }
            everConnected = true;
        } else if (everConnected) {
            history = new History(false, was.losses() + 1, now, was.lastRestoredAt());
            log.warn("Replication connection lost; the engine reconnects every {}", properties.reconnectDelay());
        }
    }

    /** Debezium's streaming metrics say connected (there is one such bean per running connector task). */
    private boolean connected() {
        try {
            for (ObjectName name : mbeans.queryNames(streamingMetrics, null)) {
                if (Boolean.TRUE.equals(mbeans.getAttribute(name, "Connected"))) {
                    return true;
                }
            }
        } catch (JMException | RuntimeException e) {
            // the bean went away between the query and the read: the task is restarting
        }
        return false;
    }
}
