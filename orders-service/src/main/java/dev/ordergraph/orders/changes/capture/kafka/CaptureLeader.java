package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.changes.tracing.ChangeSpans;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * In the scale-out mode, the one replica that reads the replication slot and publishes what it reads
 * to the changes topic: it wins the {@link LeaderElection}, then runs the slot's source into a
 * {@link ChangePublisher} until it loses the lock, its producer is fenced, or the service stops. Each
 * batch the source hands over is one Kafka transaction, committed before the source stores its offset
 * (in PostgreSQL, shared by every replica): a new leader resumes where the last committed batch ended
 * and drops the changes the topic already holds.
 */
public class CaptureLeader implements SmartLifecycle {

    /** What health shows. */
    public enum Role { LEADER, FOLLOWER }

    private static final Logger log = LoggerFactory.getLogger(CaptureLeader.class);

    private final KafkaCaptureProperties kafka;
    private final CdcProperties cdc;
    private final LeaderElection election;
    private final ChangeSource slot;
    private final ChangeSpans spans;
    private volatile Thread campaign;
    private volatile boolean running;
    private volatile Role role = Role.FOLLOWER;
    /** Why this replica stopped leading: its producer could not publish (the lease's own loss aside). */
    private volatile Exception lost;

    CaptureLeader(KafkaCaptureProperties kafka, CdcProperties cdc, LeaderElection election, ChangeSource slot, ChangeSpans spans) {
        this.kafka = kafka;
        this.spans = spans;
        this.cdc = cdc;
        this.election = election;
        this.slot = slot;
    }

    public Role role() {
        return role;
    }

    @Override
    public void start() {
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

    /** Campaigns for the lock; leads while it holds it. */
    private void campaign() {
        while (running) {
            // Leadership ended: closing the lease's session lets the lock go; then campaign again.
            try (LeaderElection.Lease lease = election.campaign()) {
                lead(lease);
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

    /** Publishes the slot's changes until the lock session fails, the producer is fenced, or the service stops. */
    private void lead(LeaderElection.Lease lease) throws InterruptedException {
        role = Role.LEADER;
        lost = null;
        log.info("Leading change capture: reading slot {} into topic {}", cdc.slotName(), kafka.topic());
        // The engine takes seconds to start; the producer (which fences the previous leader's) and the
        // topic's tail are prepared meanwhile, and the first batch waits for them: a shorter takeover.
        CompletableFuture<ChangePublisher> ready = CompletableFuture.supplyAsync(this::prepare);
        try {
            slot.start(batch -> publish(ready.join(), lease, batch));
            while (running && lost(lease) == null) {
                Thread.sleep(50);
                if (ready.isCompletedExceptionally()) {
                    lost = new IllegalStateException("could not prepare publishing", ready.exceptionNow());
                }
            }
        } finally {
            slot.stop();
            ready.thenAccept(ChangePublisher::close);
        }
        if (lost(lease) != null) {
            log.warn("Stopped leading change capture: {}", lost(lease).toString());
        }
    }

    private ChangePublisher prepare() {
        ChangesTopic.ensure(kafka);
        return ChangePublisher.open(kafka, cdc.replayWindow(), spans);
    }

    private void publish(ChangePublisher publisher, LeaderElection.Lease lease, List<CapturedChange> batch) {
        if (lost(lease) != null) {
            throw new IllegalStateException("no longer leading", lost(lease)); // not one more change from a former leader
        }
        try {
            publisher.publish(batch);
        } catch (KafkaException e) {
            // Fenced by a newer leader, or the broker is gone: nothing of this batch is visible to
            // read_committed readers, and the source does not store its offset, so the next leader (or this
            // one, again) reads the batch once more.
            lost = e;
            throw e;
        }
    }

    /** Why this replica no longer leads: the lease's session ended or publishing failed; {@code null} while it leads. */
    private Exception lost(LeaderElection.Lease lease) {
        Exception publishing = lost;
        return publishing != null ? publishing : lease.lost();
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
