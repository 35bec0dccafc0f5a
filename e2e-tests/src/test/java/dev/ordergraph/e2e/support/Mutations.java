package dev.ordergraph.e2e.support;

import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** The mutation documents the tests send, and what they read back from a payload and the databases. */
public final class Mutations {

    public static final String PAYLOAD_ERRORS = "errors { field messages } clientMutationId";

    public static final String CREATE_USER = """
            mutation($input: CreateUserInput!) {
              createUser(input: $input) { user { id username email } %s }
            }""".formatted(PAYLOAD_ERRORS);

    public static final String CREATE_ORDER = """
            mutation($input: CreateOrderInput!) {
              createOrder(input: $input) { order { id date state user { id username } } %s }
            }""".formatted(PAYLOAD_ERRORS);

    private Mutations() {
    }

    /** {@code {input: {k1: v1, ...}}}; values may be null. */
    public static Map<String, Object> input(Object... keyValues) {
        Map<String, Object> input = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            input.put((String) keyValues[i], keyValues[i + 1]);
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("input", input);
        return variables;
    }

    /** A username nobody has yet. */
    public static String freshName(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /** The payload's errors as field → messages. */
    public static Map<String, List<String>> fieldErrors(JsonNode payload) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (JsonNode error : payload.path("errors")) {
            List<String> messages = new ArrayList<>();
            error.path("messages").forEach(m -> messages.add(m.asString()));
            errors.put(error.path("field").asString(), messages);
        }
        return errors;
    }

    public static long usersNamed(String username) {
        try {
            return count(Stack.usersDb(), "select count(*) from users where username = ?", username);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The order's row as {@code date|state|user_id}, or {@code null} when it is gone. */
    public static String orderRow(long id) {
        try (Connection db = Stack.ordersDb(); PreparedStatement select = db.prepareStatement("select date || '|' || state || '|' || user_id from orders where id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long ordersOf(long userId) {
        try {
            return count(Stack.ordersDb(), "select count(*) from orders where user_id = ?", userId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection db, String sql, Object... args) {
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
}
