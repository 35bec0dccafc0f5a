package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import dev.ordergraph.orders.origin.OriginMark;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Turns Debezium's records into {@link LogRecord}s: row changes of {@code public.orders}, mutations'
 * origin marks (logical-decoding messages) and the ends of transactions (transaction metadata).
 * Heartbeats, tombstones, other tables, other messages and transaction beginnings decode to {@code null}.
 */
final class ChangeRecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(ChangeRecordDecoder.class);

    private ChangeRecordDecoder() {
    }

    static LogRecord decode(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return null; // tombstone
        }
        if (value.schema().field("op") == null) {
            return value.schema().field("status") != null && "END".equals(value.getString("status"))
                    ? new LogRecord.TransactionEnd(transactionOf(value.getString("id")))
                    : null; // heartbeat, or a transaction's beginning
        }
        Struct source = value.getStruct("source");
        String op = value.getString("op");
        if ("m".equals(op)) {
            return mark(value, source);
        }
        if (!"orders".equals(source.getString("table"))) {
            return null;
        }
        return switch (op) {
            case "c", "r", "u", "d" -> new LogRecord.Row(new CapturedChange(row(value.getStruct("before")), row(value.getStruct("after")),
                    new ChangePosition(source.getInt64("txId"), source.getInt64("lsn"), 0),
                    Instant.ofEpochMilli(source.getInt64("ts_ms")), ChangeOrigin.OUTSIDE, false));
            default -> null; // truncate carries no row
        };
    }

    private static LogRecord mark(Struct value, Struct source) {
        Struct message = value.getStruct("message");
        Long txId = source.getInt64("txId");
        if (txId == null || !OriginMark.PREFIX.equals(message.getString("prefix"))) {
            return null; // not transactional, or not ours: marks nothing
        }
        try {
            return new LogRecord.Mark(txId, OriginMark.parse(message.getBytes("content")));
        } catch (RuntimeException e) {
            // Anyone who may write to the database may emit a message; one that is not a mark is ignored.
            log.warn("Ignoring a malformed origin mark in transaction {}: {}", txId, e.getMessage());
            return null;
        }
    }

    /** Debezium names a PostgreSQL transaction by its xid, followed by {@code :} and an LSN in recent versions. */
    private static Long transactionOf(String id) {
        if (id == null) {
            return null;
        }
        int colon = id.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static OrderImage row(Struct row) {
        if (row == null) {
            return null;
        }
        // Debezium sends a PostgreSQL date as days since the epoch (io.debezium.time.Date).
        return new OrderImage(row.getInt64("id"), LocalDate.ofEpochDay(row.getInt32("date")),
                row.getString("state"), row.getInt64("user_id"));
    }
}
