package dev.ordergraph.platform.relay;

import dev.ordergraph.platform.errors.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset cursors: the sort key of the last row seen, never an offset, so a page stays
 * correct while rows are inserted before it. The {@code kind} prefix keeps a cursor from one list
 * from being replayed against another.
 */
public final class Cursor {

    private static final String SEPARATOR = "|";

    private Cursor() {
    }

    public static String encode(String kind, Object... keys) {
        StringBuilder sb = new StringBuilder(kind);
        for (Object key : keys) {
            sb.append(SEPARATOR).append(key);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The keys inside {@code cursor}; {@code BAD_USER_INPUT} unless it is a cursor of {@code kind} with {@code arity} keys. */
    public static List<String> decode(String cursor, String kind, int arity) {
        try {
            if (cursor.length() > 200) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> parts = List.of(raw.split("\\" + SEPARATOR, -1));
            if (parts.size() != arity + 1 || !parts.getFirst().equals(kind)) {
                throw new IllegalArgumentException();
            }
            return parts.subList(1, parts.size());
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput("'after' is not a cursor of this list.");
        }
    }

    /** A numeric key from a decoded cursor; {@code BAD_USER_INPUT} when it is not one. */
    public static long longKey(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ApiException.badInput("'after' is not a cursor of this list.");
        }
    }

    /** Validates a Relay {@code first} argument. */
    public static int pageSize(Integer first, int max) {
        int size = first == null ? 20 : first;
        if (size < 0 || size > max) {
            throw ApiException.badInput("'first' must be between 0 and " + max + ", was " + size + ".");
        }
        return size;
    }
}
