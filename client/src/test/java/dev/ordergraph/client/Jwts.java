package dev.ordergraph.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Unsigned JWTs for tests: the client reads a token's claims but never verifies it (the gateway does). */
final class Jwts {

    private Jwts() {
    }

    /** A JWT whose claims are {@code claimsJson}, with a header and a signature that nobody checks here. */
    static String withClaims(String claimsJson) {
        return part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + part(claimsJson) + ".c2lnbmF0dXJl";
    }

    /** A viewer's token expiring at {@code exp}. */
    static String expiringAt(Instant exp) {
        return withClaims("{\"sub\":\"7\",\"iat\":" + (exp.getEpochSecond() - 300) + ",\"exp\":" + exp.getEpochSecond() + "}");
    }

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
