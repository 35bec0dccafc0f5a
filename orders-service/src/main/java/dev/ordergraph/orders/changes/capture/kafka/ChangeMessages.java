package dev.ordergraph.orders.changes.capture.kafka;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A change as a message on the changes topic: the project's own versioned JSON, not Debezium's
 * envelope, so consumers depend on nothing but this format.
 * <pre>{"v":2,"txId":812,"lsn":31340800,"ordinal":0,"committedAt":"2026-11-28T12:00:00.123Z",
 *  "endsTransaction":true,"origin":{"actor":7,"clientMutationId":"m-1"},
 *  "before":null,"after":{"id":42,"date":"2026-11-28","state":"PAID","userId":7}}</pre>
 * Version 2 added {@code endsTransaction} and {@code origin} ({@code null} for a change from outside
 * the API). A version 1 message, written before, is read as a change from outside that ends its
 * transaction: version 1 did not say, and a client that waits for a transaction's end must not wait
 * forever. A reader refuses a version it does not know rather than guess at it.
 */
final class ChangeMessages {

    static final int VERSION = 2;
    /** The first version, still read. */
    private static final int WITHOUT_TRANSACTIONS = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChangeMessages() {
    }

    static byte[] encode(CapturedChange change) {
        ObjectNode message = JSON.createObjectNode()
                .put("v", VERSION)
                .put("txId", change.position().txId())
                .put("lsn", change.position().lsn())
                .put("ordinal", change.position().ordinal())
                .put("committedAt", change.committedAt().toString())
                .put("endsTransaction", change.endsTransaction());
        message.set("origin", origin(change.origin()));
        message.set("before", row(change.before()));
        message.set("after", row(change.after()));
        return JSON.writeValueAsBytes(message);
    }

    static CapturedChange decode(byte[] bytes) {
        JsonNode message = JSON.readTree(bytes);
        int version = message.path("v").asInt();
        if (version != VERSION && version != WITHOUT_TRANSACTIONS) {
            throw new IllegalArgumentException("Change message version " + version + " is not one this service reads: "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        return new CapturedChange(row(message.path("before")), row(message.path("after")),
                new ChangePosition(message.path("txId").asLong(), message.path("lsn").asLong(), message.path("ordinal").asInt()),
                Instant.parse(message.path("committedAt").asString()),
                origin(message.path("origin")), version == WITHOUT_TRANSACTIONS || message.path("endsTransaction").asBoolean());
    }

    private static JsonNode origin(ChangeOrigin origin) {
        if (!origin.api()) {
            return JSON.nullNode();
        }
        ObjectNode node = JSON.createObjectNode().put("actor", origin.actorId());
        return origin.clientMutationId() == null ? node : node.put("clientMutationId", origin.clientMutationId());
    }

    private static ChangeOrigin origin(JsonNode origin) {
        if (origin.isMissingNode() || origin.isNull()) {
            return ChangeOrigin.OUTSIDE;
        }
        JsonNode id = origin.path("clientMutationId");
        return new ChangeOrigin(origin.path("actor").asLong(), id.isNull() || id.isMissingNode() ? null : id.asString());
    }

    private static JsonNode row(OrderImage row) {
        if (row == null) {
            return JSON.nullNode();
        }
        return JSON.createObjectNode()
                .put("id", row.id())
                .put("date", row.date().toString())
                .put("state", row.state())
                .put("userId", row.userId());
    }

    private static OrderImage row(JsonNode row) {
        if (row.isMissingNode() || row.isNull()) {
            return null;
        }
        return new OrderImage(row.path("id").asLong(), LocalDate.parse(row.path("date").asString()),
                row.path("state").asString(), row.path("userId").asLong());
    }
}
