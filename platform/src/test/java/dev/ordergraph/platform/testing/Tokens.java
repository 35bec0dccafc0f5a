package dev.ordergraph.platform.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ordergraph.platform.security.AuthProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** HS256 tokens as the services' development secret signs them, for tests. */
public final class Tokens {

    private Tokens() {
    }

    /** {@code Bearer <token>} of this user, staff or not, valid for an hour. */
    public static String bearer(long userId, boolean staff) {
        return "Bearer " + token(userId, staff, claims -> claims);
    }

    /** A token of this user with the claims {@code customize} makes of the defaults (exp in an hour, roles). */
    public static String token(long userId, boolean staff, UnaryOperator<JWTClaimsSet.Builder> customize) {
        return token(AuthProperties.DEV_SECRET, customize.apply(new JWTClaimsSet.Builder()
                .subject(String.valueOf(userId))
                .claim("roles", staff ? List.of("staff") : List.of())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))).build());
    }

    public static String token(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
