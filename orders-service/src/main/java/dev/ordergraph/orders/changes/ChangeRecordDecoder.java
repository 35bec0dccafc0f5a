package dev.ordergraph.orders.changes;

import dev.ordergraph.orders.generated.types.ChangeAction;
import dev.ordergraph.orders.generated.types.OrderState;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Turns Debezium's records for {@code public.orders} into {@link OrderChangeEvent}s, once per change.
 * Heartbeats, tombstones and anything that is not a row change of {@code orders} decode to {@code null}.
 */
final class ChangeRecordDecoder {

    private ChangeRecordDecoder() {
    }

    static OrderChangeEvent decode(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return null; // tombstone or heartbeat
        }
        Struct source = value.getStruct("source");
        if (!"orders".equals(source.getString("table"))) {
            return null;
        }
        ChangeAction action = switch (value.getString("op")) {
            case "c", "r" -> ChangeAction.CREATED;
            case "u" -> ChangeAction.UPDATED;
            case "d" -> ChangeAction.DELETED;
            default -> null; // truncate and messages carry no row
        };
        if (action == null) {
            return null;
        }
        return new OrderChangeEvent(action, row(value.getStruct("before")), row(value.getStruct("after")),
                new ChangePosition(source.getInt64("txId"), source.getInt64("lsn"), 0),
                Instant.ofEpochMilli(source.getInt64("ts_ms")), 0);
    }

    private static OrderRow row(Struct row) {
        if (row == null) {
            return null;
        }
        // Debezium sends a PostgreSQL date as days since the epoch (io.debezium.time.Date).
        return new OrderRow(row.getInt64("id"), LocalDate.ofEpochDay(row.getInt32("date")),
                OrderState.valueOf(row.getString("state")), row.getInt64("user_id"));
    }

}
