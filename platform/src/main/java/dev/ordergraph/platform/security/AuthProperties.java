package dev.ordergraph.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * How bearer tokens are checked.
 *
 * @param jwtSecret    HS256 secret (at least 32 bytes), for development and tests ({@code AUTH_JWT_SECRET});
 *                     blank means the documented development secret
 * @param jwtIssuerUri an OpenID issuer whose JWKS signs the tokens (RS256), for production
 *                     ({@code AUTH_JWT_ISSUER_URI}); when set, it wins over the secret
 * @param jwtAudience  when set, a token must name it in {@code aud} ({@code AUTH_JWT_AUDIENCE}): a token the
 *                     issuer minted for another service is refused here
 * @param requireExp   whether a token without {@code exp} is refused ({@code AUTH_JWT_REQUIRE_EXP}); a token
 *                     that never expires would keep a subscription open for ever
 */
@ConfigurationProperties("ordergraph.auth")
public record AuthProperties(String jwtSecret, String jwtIssuerUri, String jwtAudience,
                             @DefaultValue("true") boolean requireExp) {

    /**
     * Public on purpose: anyone can mint tokens with it, so it is refused in the {@code prod} profile. Defined
     * once, in {@code schema/dev-jwt-secret}, which the gateway, the web server and {@code scripts/token.sh}
     * read too; the platform build copies it beside this class, so a service finds it in its jar wherever
     * it runs.
     */
    public static final String DEV_SECRET = readDevSecret();

    /** HS256 with {@code jwtSecret} and the defaults for the rest. */
    public static AuthProperties withSecret(String jwtSecret) {
        return new AuthProperties(jwtSecret, null, null, true);
    }

    public boolean usesIssuer() {
        return jwtIssuerUri != null && !jwtIssuerUri.isBlank();
    }

    public boolean checksAudience() {
        return jwtAudience != null && !jwtAudience.isBlank();
    }

    public String effectiveSecret() {
        return jwtSecret == null || jwtSecret.isBlank() ? DEV_SECRET : jwtSecret;
    }

    private static String readDevSecret() {
        try (InputStream in = AuthProperties.class.getResourceAsStream("dev-jwt-secret")) {
            if (in == null) {
                throw new IllegalStateException("dev-jwt-secret is not on the classpath: the platform build copies it from schema/dev-jwt-secret");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
