package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.support.Stack;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** The mutation documents the tests send, and what they read back from a payload and the databases. */
final class Mutations {

    static final String PAYLOAD_ERRORS = "errors { field messages } clientMutationId";

    static final String CREATE_USER = """
            mutation($input: CreateUserInput!) {
              createUser(input: $input) { user { id username email } %s }
            }""".formatted(PAYLOAD_ERRORS);

    static final String UPDATE_USER = """
            mutation($input: UpdateUserInput!) {
              updateUser(input: $input) { user { id username email } %s }
            }""".formatted(PAYLOAD_ERRORS);

    static final String CREATE_ORDER = """
            mutation($input: CreateOrderInput!) {
              createOrder(input: $input) { order { id date state user { id username } } %s }
            }""".formatted(PAYLOAD_ERRORS);

    static final String UPDATE_ORDER = """
            mutation($input: UpdateOrderInput!) {
              updateOrder(input: $input) { order { id date state user { id } } %s }
            }""".formatted(PAYLOAD_ERRORS);

    static final String DELETE_ORDER = """
            mutation($input: DeleteOrderInput!) {
              deleteOrder(input: $input) { order { id state } deletedOrderId %s }
            }""".formatted(PAYLOAD_ERRORS);

    private Mutations() {
    }

    /** A username nobody has yet. */
    static String freshName(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /** The payload's errors as field → messages. */
    static Map<String, List<String>> fieldErrors(JsonNode payload) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (JsonNode error : payload.path("errors")) {
            List<String> messages = new ArrayList<>();
            error.path("messages").forEach(m -> messages.add(m.asString()));
            errors.put(error.path("field").asString(), messages);
        }
        return errors;
    }

    static long count(Connection db, String sql, Object... args) {
        try (db; PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long usersNamed(String username) {
        try {
            return count(Stack.usersDb(), "select count(*) from users where username = ?", username);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String userColumn(long id, String column) {
        try (Connection db = Stack.usersDb(); PreparedStatement select = db.prepareStatement("select " + column + " from users where id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order's row as {@code date|state|user_id}, or {@code null} when it is gone. */
    static String orderRow(long id) {
        try (Connection db = Stack.ordersDb(); PreparedStatement select = db.prepareStatement("select date || '|' || state || '|' || user_id from orders where id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long ordersOf(long userId) {
        try {
            return count(Stack.ordersDb(), "select count(*) from orders where user_id = ?", userId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long databaseId(String globalId) {
        String raw = new String(java.util.Base64.getDecoder().decode(globalId));
        return Long.parseLong(raw.substring(raw.indexOf(':') + 1));
    }
}
