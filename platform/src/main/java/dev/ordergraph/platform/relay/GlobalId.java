package dev.ordergraph.platform.relay;

import dev.ordergraph.platform.errors.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Relay global IDs: base64 of {@code "<Type>:<database id>"}, e.g. {@code Order:42} is {@code T3JkZXI6NDI=}.
 * Decoding checks the type, so an {@code Order} ID passed where a {@code User} is expected is refused
 * instead of silently reading user 42.
 */
public final class GlobalId {

    private GlobalId() {
    }

    public static String encode(String type, long id) {
        return Base64.getEncoder().encodeToString((type + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The database id inside {@code globalId}; {@code BAD_USER_INPUT} when malformed or of another type. */
    public static long decode(String globalId, String expectedType) {
        String raw = decodeBase64(globalId);
        int colon = raw == null ? -1 : raw.indexOf(':');
        if (colon <= 0) {
            throw ApiException.badInput("'" + abbreviate(globalId) + "' is not a valid global ID of " + withArticle(expectedType) + ".");
        }
        String type = raw.substring(0, colon);
        if (!type.equals(expectedType)) {
            throw ApiException.badInput("Expected the global ID of " + withArticle(expectedType) + ", got the ID of " + withArticle(abbreviate(type)) + ".");
        }
        try {
            long id = Long.parseLong(raw.substring(colon + 1));
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badInput("'" + abbreviate(globalId) + "' is not a valid global ID of " + withArticle(expectedType) + ".");
        }
    }

    private static String decodeBase64(String value) {
        if (value == null || value.length() > 200) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String withArticle(String type) {
        return ("AEIOU".indexOf(Character.toUpperCase(type.isEmpty() ? 'x' : type.charAt(0))) >= 0 ? "an " : "a ") + type;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
