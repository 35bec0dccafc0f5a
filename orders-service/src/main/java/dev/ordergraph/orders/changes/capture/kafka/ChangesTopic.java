package dev.ordergraph.orders.changes.capture.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** The changes topic: one partition (one order for everybody), deleted by age, never compacted. */
final class ChangesTopic {

    private ChangesTopic() {
    }

    static TopicPartition partition(KafkaCaptureProperties kafka) {
        return new TopicPartition(kafka.topic(), 0);
    }

    /**
     * Creates the topic unless it exists; every replica calls this, whoever comes first creates it. Gives
     * up after 15 s when no broker answers (the caller tries again), rather than the admin client's 60 s.
     */
    static void ensure(KafkaCaptureProperties kafka) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            NewTopic topic = new NewTopic(kafka.topic(), Optional.of(1), Optional.ofNullable(kafka.replicationFactor())).configs(Map.of(
                    "cleanup.policy", "delete",
                    "retention.ms", String.valueOf(kafka.retention().toMillis())));
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create the changes topic " + kafka.topic(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
