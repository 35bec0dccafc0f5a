package dev.ordergraph.orders.origin;

import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * The mark a mutation leaves in its own transaction so that the changes it makes can say where they came
 * from: a transactional logical-decoding message ({@code pg_logical_emit_message(true, ...)}) written just
 * before the field's statements. It is committed, or rolled back, with them, and the log carries it in
 * the transaction's order, so the capture attributes every change that follows it in that transaction to
 * this field (an atomic request marks each of its fields in turn). Nothing is stored in any table.
 * <pre>prefix ordergraph.origin, content {"actor":7,"clientMutationId":"m-1","trace":"00-4bf9…-00f0…-01"}</pre>
 *
 * @param actorId          the user who made the mutation
 * @param clientMutationId the field's {@code input.clientMutationId}, {@code null} when it had none
 * @param trace            the mutation's W3C {@code traceparent}, so its changes' spans join its trace;
 *                         {@code null} when it is not traced
 */
public record OriginMark(long actorId, String clientMutationId, String trace) {

    /** The messages' prefix; the capture reads no other. */
    public static final String PREFIX = "ordergraph.origin";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The mark of a mutation no trace follows. */
    public OriginMark(long actorId, String clientMutationId) {
        this(actorId, clientMutationId, null);
    }

    /** Marks the transaction {@code jdbc} writes in: what it writes next comes from this mutation. */
    public void write(JdbcClient jdbc) {
        jdbc.sql("select pg_logical_emit_message(true, :prefix, :content)")
                .param("prefix", PREFIX)
                .param("content", content())
                .query((rs, i) -> 1)
                .single();
    }

    String content() {
        var message = JSON.createObjectNode().put("actor", actorId);
        if (clientMutationId != null) {
            message.put("clientMutationId", clientMutationId);
        }
        if (trace != null) {
            message.put("trace", trace);
        }
        return JSON.writeValueAsString(message);
    }

    /** The mark in a message's content; {@code IllegalArgumentException} when it is not one. */
    public static OriginMark parse(byte[] content) {
        JsonNode message = JSON.readTree(new String(content, StandardCharsets.UTF_8));
        JsonNode actor = message.path("actor");
        if (!actor.isIntegralNumber()) {
            throw new IllegalArgumentException("An origin mark names its actor");
        }
        JsonNode id = message.path("clientMutationId");
        JsonNode trace = message.path("trace");
        return new OriginMark(actor.asLong(), id.isString() ? id.asString() : null, trace.isString() ? trace.asString() : null);
    }
}
