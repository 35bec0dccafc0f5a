package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.origin.OriginMark;
import io.debezium.data.Envelope;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debezium's records of {@code public.orders} as the PostgreSQL connector shapes them (its envelope, a
 * date as days since the epoch), built here from the change they should decode to.
 */
class ChangeRecordDecoderTest {

    private static final Schema ROW = SchemaBuilder.struct().name("ordergraph.public.orders.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("date", io.debezium.time.Date.schema())
            .field("state", Schema.STRING_SCHEMA)
            .field("user_id", Schema.INT64_SCHEMA)
            .optional().build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("connector", Schema.STRING_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    private static final Envelope ENVELOPE = Envelope.defineSchema().withName("ordergraph.public.orders.Envelope")
            .withRecord(ROW).withSource(SOURCE).build();

    private static final Instant COMMITTED = Instant.parse("2026-11-28T12:00:00.123Z");
    private static final OrderImage UNPAID = new OrderImage(42, LocalDate.of(2026, 11, 28), "UNPAID", 7);
    private static final OrderImage PAID_BY_ANOTHER = new OrderImage(42, LocalDate.of(1969, 12, 31), "PAID", 8);

    /** The record Debezium sends for {@code change}, which the decoder numbers 0 in its WAL record. */
    private static SourceRecord record(CapturedChange change, String table) {
        Struct source = new Struct(SOURCE).put("connector", "postgresql").put("db", "orders").put("schema", "public")
                .put("table", table).put("ts_ms", change.committedAt().toEpochMilli())
                .put("txId", change.position().txId()).put("lsn", change.position().lsn());
        Instant now = Instant.now();
        Struct value = switch (change.action()) {
            case CREATED -> ENVELOPE.create(row(change.after()), source, now);
            case UPDATED -> ENVELOPE.update(row(change.before()), row(change.after()), source, now);
            case DELETED -> ENVELOPE.delete(row(change.before()), source, now);
        };
        return new SourceRecord(Map.of(), Map.of(), "ordergraph.public.orders", null, ENVELOPE.schema(), value);
    }

    /** What a row record decodes to: a change from outside, not yet known to end its transaction. */
    private static LogRecord row(CapturedChange change) {
        return new LogRecord.Row(change.endingTransaction(false));
    }

    private static final Schema MESSAGE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.MessageValue")
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("source", SOURCE)
            .field("message", SchemaBuilder.struct().name("io.debezium.connector.postgresql.Message")
                    .field("prefix", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("content", Schema.OPTIONAL_BYTES_SCHEMA).build())
            .build();

    /** A logical-decoding message as Debezium's PostgreSQL connector sends it. */
    private static SourceRecord message(Long txId, String prefix, String content) {
        Struct source = new Struct(SOURCE).put("connector", "postgresql").put("db", "orders").put("schema", "")
                .put("table", "").put("ts_ms", COMMITTED.toEpochMilli()).put("txId", txId).put("lsn", 31_340_700L);
        Struct message = new Struct(MESSAGE.field("message").schema()).put("prefix", prefix)
                .put("content", content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new SourceRecord(Map.of(), Map.of(), "ordergraph.message", null, MESSAGE,
                new Struct(MESSAGE).put("op", "m").put("ts_ms", 1L).put("source", source).put("message", message));
    }

    private static final Schema TRANSACTION = SchemaBuilder.struct().name("io.debezium.connector.common.TransactionMetadataValue")
            .field("status", Schema.STRING_SCHEMA)
            .field("id", Schema.STRING_SCHEMA)
            .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();

    private static SourceRecord transaction(String status, String id) {
        return new SourceRecord(Map.of(), Map.of(), "ordergraph.transaction", null, TRANSACTION,
                new Struct(TRANSACTION).put("status", status).put("id", id).put("event_count", 1L).put("ts_ms", 1L));
    }

    @Test
    void aMutationsOriginMarkDecodesToItsTransactionAndActor() {
        assertThat(ChangeRecordDecoder.decode(message(812L, "ordergraph.origin", "{\"actor\":7,\"clientMutationId\":\"m-1\"}")))
                .isEqualTo(new LogRecord.Mark(812, new OriginMark(7, "m-1")));
        assertThat(ChangeRecordDecoder.decode(message(812L, "ordergraph.origin", "{\"actor\":7}")))
                .isEqualTo(new LogRecord.Mark(812, new OriginMark(7, null)));
        // Another application's messages, a message outside any transaction, and a malformed mark mark nothing.
        assertThat(ChangeRecordDecoder.decode(message(812L, "audit", "{\"actor\":7}"))).isNull();
        assertThat(ChangeRecordDecoder.decode(message(null, "ordergraph.origin", "{\"actor\":7}"))).isNull();
        assertThat(ChangeRecordDecoder.decode(message(812L, "ordergraph.origin", "not json"))).isNull();
        assertThat(ChangeRecordDecoder.decode(message(812L, "ordergraph.origin", "{\"clientMutationId\":\"m-1\"}"))).isNull();
    }

    @Test
    void theEndOfATransactionDecodesToItsXidAndItsBeginningToNothing() {
        assertThat(ChangeRecordDecoder.decode(transaction("END", "812:31340800"))).isEqualTo(new LogRecord.TransactionEnd(812L));
        assertThat(ChangeRecordDecoder.decode(transaction("END", "812"))).isEqualTo(new LogRecord.TransactionEnd(812L));
        assertThat(ChangeRecordDecoder.decode(transaction("END", "x"))).isEqualTo(new LogRecord.TransactionEnd(null));
        assertThat(ChangeRecordDecoder.decode(transaction("BEGIN", "812:31340800"))).isNull();
    }

    private static Struct row(OrderImage image) {
        return new Struct(ROW).put("id", image.id()).put("date", (int) image.date().toEpochDay())
                .put("state", image.state()).put("user_id", image.userId());
    }

    @Test
    void insertsUpdatesAndDeletesDecodeToTheChangeTheyCarry() {
        for (CapturedChange change : new CapturedChange[]{
                new CapturedChange(null, UNPAID, new ChangePosition(812, 31_340_800, 0), COMMITTED),
                new CapturedChange(UNPAID, PAID_BY_ANOTHER, new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 0), COMMITTED),
                new CapturedChange(PAID_BY_ANOTHER, null, new ChangePosition(813, 31_340_900, 0), COMMITTED)}) {
            assertThat(ChangeRecordDecoder.decode(record(change, "orders"))).isEqualTo(row(change));
        }
    }

    @Test
    void aSnapshotReadIsAnInsert() {
        Struct source = new Struct(SOURCE).put("connector", "postgresql").put("db", "orders").put("schema", "public")
                .put("table", "orders").put("ts_ms", COMMITTED.toEpochMilli()).put("txId", 812L).put("lsn", 31_340_800L);
        SourceRecord read = new SourceRecord(Map.of(), Map.of(), "ordergraph.public.orders", null, ENVELOPE.schema(),
                ENVELOPE.read(row(UNPAID), source, Instant.now()));

        assertThat(ChangeRecordDecoder.decode(read))
                .isEqualTo(row(new CapturedChange(null, UNPAID, new ChangePosition(812, 31_340_800, 0), COMMITTED)));
    }

    @Test
    void heartbeatsTombstonesTruncatesAndOtherTablesDecodeToNothing() {
        CapturedChange insert = new CapturedChange(null, UNPAID, new ChangePosition(812, 31_340_800, 0), COMMITTED);
        Schema heartbeat = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        Struct source = new Struct(SOURCE).put("connector", "postgresql").put("db", "orders").put("schema", "public")
                .put("table", "orders").put("ts_ms", COMMITTED.toEpochMilli()).put("txId", 812L).put("lsn", 31_340_800L);

        assertThat(ChangeRecordDecoder.decode(new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.ordergraph", null,
                heartbeat, new Struct(heartbeat).put("ts_ms", 1L)))).isNull();
        assertThat(ChangeRecordDecoder.decode(new SourceRecord(Map.of(), Map.of(), "ordergraph.public.orders", null, null, null))).isNull();
        assertThat(ChangeRecordDecoder.decode(new SourceRecord(Map.of(), Map.of(), "ordergraph.public.orders", null,
                ENVELOPE.schema(), ENVELOPE.truncate(source, Instant.now())))).isNull();
        assertThat(ChangeRecordDecoder.decode(record(insert, "flyway_schema_history"))).isNull();
    }
}
