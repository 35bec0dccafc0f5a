package dev.ordergraph.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are checked.
 *
 * @param jwtSecret    HS256 secret (at least 32 bytes), for development and tests ({@code AUTH_JWT_SECRET});
 *                     blank means the documented development secret
 * @param jwtIssuerUri an OpenID issuer whose JWKS signs the tokens (RS256), for production
 *                     ({@code AUTH_JWT_ISSUER_URI}); when set, it wins over the secret
 */
@ConfigurationProperties("ordergraph.auth")
public record AuthProperties(String jwtSecret, String jwtIssuerUri) {

    /** Public on purpose: anyone can mint tokens with it, so it is refused in the {@code prod} profile. */
    public static final String DEV_SECRET = "ordergraph-dev-secret-not-for-production-0123456789";

    public boolean usesIssuer() {
        return jwtIssuerUri != null && !jwtIssuerUri.isBlank();
    }

    public String effectiveSecret() {
        return jwtSecret == null || jwtSecret.isBlank() ? DEV_SECRET : jwtSecret;
    }
}
