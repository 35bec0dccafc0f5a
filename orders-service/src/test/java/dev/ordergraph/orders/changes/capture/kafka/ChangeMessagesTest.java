package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The changes topic's format: what one replica writes, every replica (of this version or the previous) reads. */
class ChangeMessagesTest {

    private static final Instant COMMITTED = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final OrderImage UNPAID = new OrderImage(42, LocalDate.of(2026, 11, 28), "UNPAID", 7);
    private static final OrderImage PAID_BY_ANOTHER = new OrderImage(42, LocalDate.of(2026, 11, 29), "PAID", 8);

    @Test
    void insertsUpdatesAndDeletesComeBackAsTheyWent() {
        for (CapturedChange change : new CapturedChange[]{
                new CapturedChange(null, UNPAID, new ChangePosition(812, 31_340_800, 0), COMMITTED),
                new CapturedChange(UNPAID, PAID_BY_ANOTHER, new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 3), COMMITTED),
                new CapturedChange(PAID_BY_ANOTHER, null, new ChangePosition(813, 31_340_900, 0), Instant.parse("2026-11-28T12:00:01Z")),
                new CapturedChange(UNPAID, PAID_BY_ANOTHER, new ChangePosition(814, 31_341_000, 0), COMMITTED, new ChangeOrigin(7L, "m-1"), false),
                new CapturedChange(UNPAID, UNPAID, new ChangePosition(814, 31_341_100, 0), COMMITTED, new ChangeOrigin(7L, null), true)}) {
            assertThat(ChangeMessages.decode(ChangeMessages.encode(change))).isEqualTo(change);
        }
    }

    @Test
    void theMessageIsVersionTwoWithWhereTheTransactionEndsAndWhoMadeIt() {
        String written = """
                {"v":2,"txId":812,"lsn":31340800,"ordinal":0,"committedAt":"2026-11-28T12:00:00.123Z",\
                "endsTransaction":false,"origin":{"actor":7,"clientMutationId":"m-1"},\
                "before":null,"after":{"id":42,"date":"2026-11-28","state":"PAID","userId":7}}""";
        CapturedChange change = new CapturedChange(null, new OrderImage(42, LocalDate.of(2026, 11, 28), "PAID", 7),
                new ChangePosition(812, 31_340_800, 0), COMMITTED, new ChangeOrigin(7L, "m-1"), false);

        assertThat(new String(ChangeMessages.encode(change), StandardCharsets.UTF_8)).isEqualTo(written);
        assertThat(ChangeMessages.decode(written.getBytes(StandardCharsets.UTF_8))).isEqualTo(change);
        assertThat(new String(ChangeMessages.encode(change.from(ChangeOrigin.OUTSIDE)), StandardCharsets.UTF_8))
                .contains("\"origin\":null");
    }

    @Test
    void aVersionOneMessageOfThePreviousReleaseReadsAsAChangeFromOutsideThatEndsItsTransaction() {
        String previous = """
                {"v":1,"txId":812,"lsn":31340800,"ordinal":0,"committedAt":"2026-11-28T12:00:00.123Z",\
                "before":{"id":42,"date":"2026-11-28","state":"UNPAID","userId":7},"after":{"id":42,"date":"2026-11-28","state":"PAID","userId":7}}""";

        CapturedChange read = ChangeMessages.decode(previous.getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(new CapturedChange(UNPAID, new OrderImage(42, LocalDate.of(2026, 11, 28), "PAID", 7),
                new ChangePosition(812, 31_340_800, 0), COMMITTED, ChangeOrigin.OUTSIDE, true));
    }

    @Test
    void aVersionThisServiceDoesNotKnowIsRefusedNotGuessedAt() {
        String next = """
                {"v":3,"txId":812,"lsn":31340800,"ordinal":0,"committedAt":"2026-11-28T12:00:00.123Z",\
                "before":null,"after":{"id":42,"date":"2026-11-28","state":"PAID","userId":7}}""";

        assertThatThrownBy(() -> ChangeMessages.decode(next.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 3");
        assertThatThrownBy(() -> ChangeMessages.decode("{\"txId\":812}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
