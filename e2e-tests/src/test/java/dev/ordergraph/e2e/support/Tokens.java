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

    /** Well-formed and unexpired, but signed with a key the services do not trust. */
    public static String forged(long userId) {
        return sign(userId, List.of("staff"), "an-attacker-secret-that-is-also-32-bytes-long!!", Instant.now().plusSeconds(3600));
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
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .claim("roles", roles)
                    .issueTime(new Date())
                    .expirationTime(Date.from(expiry))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
