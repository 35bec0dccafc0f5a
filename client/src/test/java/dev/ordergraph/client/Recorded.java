package dev.ordergraph.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Answers in the gateway's shapes, kept under {@code recorded/}: results of queries and mutations, errors
 * with their {@code extensions.code}, and the changes of one session of the change feed
 * ({@code order-changes.json}, in commit order), which {@link #change} and {@link #batch} wrap as the
 * subscriptions' messages. The session, as the owner of its orders (caty88) sees it, is four transactions:
 * a psql UPDATE paying two orders (1-2, {@code OUTSIDE}), a createOrder of theirs (3), a staff member's
 * updateOrder (4, {@code API} without actor or clientMutationId: not the owner's to know) and one atomic
 * request of theirs that deletes an order and pays another (5-6).
 */
final class Recorded {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNode CHANGES = JSON.readTree(text("order-changes.json"));

    private Recorded() {
    }

    /** The recorded file {@code name}, as it is. */
    static String text(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("recorded/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No recorded answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cursor of change {@code n} (from 1) of the session. */
    static String cursor(int n) {
        return CHANGES.get(n - 1).path("cursor").asString();
    }

    /** An {@code orderChanges} message with change {@code n} (from 1) of the session. */
    static String change(int n) {
        return JSON.writeValueAsString(Map.of("data", Map.of("orderChanges", CHANGES.get(n - 1))));
    }

    /** An {@code orderChangeBatches} message with changes {@code first} to {@code last} (from 1) of the session. */
    static String batch(int first, int last) {
        ArrayNode changes = JSON.createArrayNode();
        for (int n = first; n <= last; n++) {
            changes.add(CHANGES.get(n - 1));
        }
        return JSON.writeValueAsString(Map.of("data", Map.of("orderChangeBatches", Map.of("cursor", cursor(last), "changes", changes))));
    }
}
