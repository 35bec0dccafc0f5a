package dev.ordergraph.platform.gateway;

import dev.ordergraph.platform.errors.RefusedConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import java.nio.charset.StandardCharsets;

/**
 * A subgraph behind gateways: it serves signed requests only ({@link SignedRequestInterceptor}) and bounds
 * {@code _entities} ({@link RepresentationsLimit}). Without a secret to check signatures with, a service does
 * not start unless told that unsigned requests are fine here: serving everyone by accident is the failure
 * this guards against.
 */
@AutoConfiguration
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayAutoConfiguration.class);

    /** As long as the gateway requires (it refuses a shorter secret): HMAC-SHA256 wants at least its output size. */
    static final int MIN_SECRET_BYTES = 32;

    @Bean
    SignedRequestInterceptor signedRequestInterceptor(GatewayProperties properties, Environment environment) {
        if (properties.allowUnsigned() && environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new RefusedConfiguration("SUBGRAPH_ALLOW_UNSIGNED=true under the prod profile: anyone who reaches this subgraph "
                    + "would skip every limit of the gateway.", "Unset SUBGRAPH_ALLOW_UNSIGNED and set GATEWAY_HMAC_SECRET to the gateways' secret.");
        }
        if (properties.hasSecret() && properties.hmacSecret().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new RefusedConfiguration("GATEWAY_HMAC_SECRET is shorter than " + MIN_SECRET_BYTES + " bytes.",
                    "Use the gateways' secret, at least " + MIN_SECRET_BYTES + " bytes (e.g. openssl rand -hex 32); the gateways refuse a shorter one too.");
        }
        if (!properties.hasSecret() && !properties.allowUnsigned()) {
            throw new RefusedConfiguration("GATEWAY_HMAC_SECRET is not set. This subgraph serves GraphQL only to gateways that "
                    + "sign their requests with it (Hive Gateway's hmacSignature).", "Set GATEWAY_HMAC_SECRET to the gateways' secret, "
                    + "or, in development and tests only, SUBGRAPH_ALLOW_UNSIGNED=true to serve unsigned requests.");
        }
        if (properties.allowUnsigned()) {
            log.warn("SUBGRAPH_ALLOW_UNSIGNED=true: GraphQL requests without a gateway's signature are served (development and tests only).");
        }
        return new SignedRequestInterceptor(properties);
    }

    @Bean
    RepresentationsLimit representationsLimit(GatewayProperties properties) {
        return new RepresentationsLimit(properties.maxRepresentations());
    }
}
