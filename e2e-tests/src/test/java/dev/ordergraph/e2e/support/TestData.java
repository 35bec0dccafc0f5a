package dev.ordergraph.e2e.support;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Rows written the way an outside writer would: plain JDBC on the public tables. */
public final class TestData {

    private TestData() {
    }

    /** Inserts a user with a unique username and returns its database id. */
    public static long user(String prefix) {
        String name = prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (Connection db = Stack.usersDb();
             PreparedStatement insert = db.prepareStatement("insert into users (username, email) values (?, ?) returning id")) {
            insert.setString(1, name);
            insert.setString(2, name + "@example.test");
            return single(insert);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String username(long userId) {
        try (Connection db = Stack.usersDb();
             PreparedStatement select = db.prepareStatement("select username from users where id = ?")) {
            select.setLong(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts {@code count} orders for {@code userId}, one per day going back from {@code newest}; returns their ids, newest first. */
    public static List<Long> orders(long userId, int count, LocalDate newest, String state) {
        List<Long> ids = new ArrayList<>();
        try (Connection db = Stack.ordersDb();
             PreparedStatement insert = db.prepareStatement("insert into orders (date, state, user_id) values (?, ?, ?) returning id")) {
            for (int i = 0; i < count; i++) {
                insert.setDate(1, Date.valueOf(newest.minusDays(i)));
                insert.setString(2, state);
                insert.setLong(3, userId);
                ids.add(single(insert));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    public static String globalId(String type, long id) {
        return Base64.getEncoder().encodeToString((type + ":" + id).getBytes());
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The database id in a global ID such as {@code T3JkZXI6NDI=} ({@code Order:42}). */
    public static long databaseId(String globalId) {
        String decoded = new String(java.util.Base64.getDecoder().decode(globalId), java.nio.charset.StandardCharsets.UTF_8);
        return Long.parseLong(decoded.substring(decoded.indexOf(':') + 1));
    }
}
