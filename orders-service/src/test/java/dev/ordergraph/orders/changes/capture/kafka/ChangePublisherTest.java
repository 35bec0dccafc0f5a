package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ordergraph.orders.changes.capture.kafka.TopicChanges.change;
import static dev.ordergraph.orders.changes.capture.kafka.TopicChanges.committed;
import static dev.ordergraph.orders.changes.capture.kafka.TopicChanges.positions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leader's publishing against a real broker: transactions, fencing, and what it leaves out. */
class ChangePublisherTest {

    private static final KafkaBroker broker = KafkaBroker.shared();

    private final CapturedChange c1 = change(100, 1000);
    private final CapturedChange c2 = change(100, 1001);
    private final CapturedChange c3 = change(101, 1100);
    private final CapturedChange c4 = change(102, 1200);

    @Test
    void aBatchIsOneTransactionThatReadCommittedReadersSee() {
        KafkaCaptureProperties kafka = broker.newTopic();
        try (ChangePublisher publisher = ChangePublisher.open(kafka, 100)) {
            publisher.publish(List.of(c1, c2, c3));
            publisher.publish(List.of(c4));
        }
        assertThat(committed(kafka)).isEqualTo(positions(c1, c2, c3, c4));
    }

    @Test
    void changesAlreadyOnTheTopicAreLeftOut() {
        KafkaCaptureProperties kafka = broker.newTopic();
        try (ChangePublisher previous = ChangePublisher.open(kafka, 100)) {
            previous.publish(List.of(c1, c2));
        }
        // A new leader's source hands over again what the previous leader published but did not acknowledge.
        try (ChangePublisher next = ChangePublisher.open(kafka, 100)) {
            next.publish(List.of(c1, c2, c3));
            next.publish(List.of(c3, c4)); // and its own redelivery
        }
        assertThat(committed(kafka)).isEqualTo(positions(c1, c2, c3, c4));
    }

    @Test
    void aSecondPublisherFencesTheFirst() {
        KafkaCaptureProperties kafka = broker.newTopic();
        try (ChangePublisher former = ChangePublisher.open(kafka, 100)) {
            former.publish(List.of(c1));
            try (ChangePublisher leader = ChangePublisher.open(kafka, 100)) {
                assertThatThrownBy(() -> former.publish(List.of(c2))).isInstanceOf(KafkaException.class);
                leader.publish(List.of(c2, c3));
            }
        }
        assertThat(committed(kafka)).isEqualTo(positions(c1, c2, c3));
    }

    @Test
    void itRemembersAsManyPositionsAsItIsTold() {
        KafkaCaptureProperties kafka = broker.newTopic();
        try (ChangePublisher publisher = ChangePublisher.open(kafka, 2)) {
            publisher.publish(List.of(c1));
            publisher.publish(List.of(c2));
            publisher.publish(List.of(c3));
            publisher.publish(List.of(c1, c3)); // c1 is forgotten by now, c3 is not
        }
        assertThat(committed(kafka)).isEqualTo(positions(c1, c2, c3, c1));
    }
}
