package dev.ordergraph.e2e.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Bearer tokens as an identity provider would issue them, signed with the stack's test secret. */
public final class Tokens {

    private Tokens() {
    }

    public static String viewer(long userId) {
        return sign(userId, List.of(), Stack.JWT_SECRET, Instant.now().plusSeconds(3600));
    }

    public static String staff(long userId) {
        return sign(userId, List.of("staff"), Stack.JWT_SECRET, Instant.now().plusSeconds(3600));
    }

    /** A staff token that expires at {@code expiry}: tokens of one expiry may share a subscription at the gateway. */
    public static String staff(long userId, Instant expiry) {
        return sign(userId, List.of("staff"), Stack.JWT_SECRET, expiry);
    }

    /**
     * A staff token issued at {@code issuedAt} ({@code iat}) that expires at {@code expiry}: a viewer who
     * signed in at that moment (an identity provider issues each sign-in its own token, its expiry a fixed
     * lifetime after it).
     */
    public static String staff(long userId, Instant issuedAt, Instant expiry) {
        return sign(String.valueOf(userId), List.of("staff"), Stack.JWT_SECRET, issuedAt, expiry, null);
    }

    /** Well-formed and unexpired, but signed with a key the services do not trust. */
    public static String forged(long userId) {
        return sign(userId, List.of("staff"), "an-attacker-secret-that-is-also-32-bytes-long!!", Instant.now().plusSeconds(3600));
    }

    /** A viewer's token that expires at {@code expiry} (e.g. a few seconds from now). */
    public static String viewer(long userId, Instant expiry) {
        return sign(userId, List.of(), Stack.JWT_SECRET, expiry);
    }

    /** Correctly signed, without {@code exp}: refused unless AUTH_JWT_REQUIRE_EXP=false. */
    public static String withoutExpiry(long userId) {
        return sign(String.valueOf(userId), List.of(), Stack.JWT_SECRET, null, null);
    }

    /** A viewer's token for the audience {@code audience} ({@code aud}), valid for an hour. */
    public static String withAudience(long userId, String audience) {
        return sign(String.valueOf(userId), List.of(), Stack.JWT_SECRET, Instant.now().plusSeconds(3600), audience);
    }

    public static String expired(long userId) {
        return sign(userId, List.of(), Stack.JWT_SECRET, Instant.now().minusSeconds(600));
    }

    /** Correctly signed and unexpired, with any {@code sub}, e.g. one that is not a user id. */
    public static String withSubject(String subject) {
        return sign(subject, List.of("staff"), Stack.JWT_SECRET, Instant.now().plusSeconds(3600));
    }

    private static String sign(long userId, List<String> roles, String secret, Instant expiry) {
        return sign(String.valueOf(userId), roles, secret, expiry);
    }

    private static String sign(String subject, List<String> roles, String secret, Instant expiry) {
        return sign(subject, roles, secret, expiry, null);
    }

    private static String sign(String subject, List<String> roles, String secret, Instant expiry, String audience) {
        return sign(subject, roles, secret, Instant.now(), expiry, audience);
    }

    private static String sign(String subject, List<String> roles, String secret, Instant issuedAt, Instant expiry, String audience) {
        try {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .claim("roles", roles)
                    .issueTime(Date.from(issuedAt));
            if (expiry != null) {
                builder.expirationTime(Date.from(expiry));
            }
            if (audience != null) {
                builder.audience(audience);
            }
            JWTClaimsSet claims = builder.build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
