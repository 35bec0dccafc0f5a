package dev.ordergraph.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time claims of a JWT, read without verifying it (the gateway verifies): enough for a client to know
 * when its token is due for renewal.
 */
public final class TokenClaims {

    private TokenClaims() {
    }

    /** The token's {@code exp} (epoch seconds), if it is a JWT that has one. */
    public static OptionalLong expiry(String token) {
        return numeric(token, "exp");
    }

    /** The token's {@code iat} (epoch seconds), if it is a JWT that has one. */
    public static OptionalLong issuedAt(String token) {
        return numeric(token, "iat");
    }

    private static OptionalLong numeric(String token, String claim) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return OptionalLong.empty();
        }
        try {
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher value = Pattern.compile("\"" + claim + "\"\\s*:\\s*(\\d+)").matcher(claims);
            return value.find() ? OptionalLong.of(Long.parseLong(value.group(1))) : OptionalLong.empty();
        } catch (IllegalArgumentException e) { // not base64url, or a number beyond long
            return OptionalLong.empty();
        }
    }
}
