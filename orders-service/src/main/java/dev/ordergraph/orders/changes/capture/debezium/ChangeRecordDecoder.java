package dev.ordergraph.orders.changes.capture.debezium;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Turns Debezium's records for {@code public.orders} into {@link CapturedChange}s, once per change.
 * Heartbeats, tombstones and anything that is not a row change of {@code orders} decode to {@code null}.
 */
final class ChangeRecordDecoder {

    private ChangeRecordDecoder() {
    }

    static CapturedChange decode(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return null; // tombstone or heartbeat
        }
        Struct source = value.getStruct("source");
        if (!"orders".equals(source.getString("table"))) {
            return null;
        }
        return switch (value.getString("op")) {
            case "c", "r", "u", "d" -> new CapturedChange(row(value.getStruct("before")), row(value.getStruct("after")),
                    new ChangePosition(source.getInt64("txId"), source.getInt64("lsn"), 0),
                    Instant.ofEpochMilli(source.getInt64("ts_ms")));
            default -> null; // truncate and messages carry no row
        };
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
