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

    /** Opens a connection to a database with a {@code users (username, email)} table. */
    public interface UsersDatabase {
        Connection connect() throws SQLException;
    }

    /** Inserts a user with a unique username and returns its database id. */
    public static long user(String prefix) {
        return user(Stack::usersDb, prefix);
    }

    /** Inserts a user with a unique username into {@code database}'s users (the test stack's, or a peer's) and returns its id. */
    public static long user(UsersDatabase database, String prefix) {
        String name = prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (Connection db = database.connect();
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

    /**
     * A change cursor for a log position, sealed as orders-service seals them (AES-GCM, the nonce an
     * HMAC of the position, keys derived from the token secret the test stack shares): how a test names
     * a change the service never held, since a cursor cannot be forged without the key.
     */
    public static String changeCursor(long txId, long lsn, int ordinal) {
        try {
            byte[] plain = java.nio.ByteBuffer.allocate(20).putLong(txId).putLong(lsn).putInt(ordinal).array();
            javax.crypto.Mac nonces = javax.crypto.Mac.getInstance("HmacSHA256");
            nonces.init(new javax.crypto.spec.SecretKeySpec(derive("change-cursor-nonce"), "HmacSHA256"));
            byte[] nonce = java.util.Arrays.copyOf(nonces.doFinal(plain), 12);
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(java.util.Arrays.copyOf(derive("change-cursor-encryption"), 16), "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, nonce));
            byte[] sealed = java.nio.ByteBuffer.allocate(48).put(nonce).put(cipher.doFinal(plain)).array();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(String purpose) throws java.security.GeneralSecurityException {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Stack.JWT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
