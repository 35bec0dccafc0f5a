package dev.ordergraph.platform.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a subgraph expects of the gateways in front of it.
 *
 * @param hmacSecret         the secret gateways sign upstream requests with (Hive Gateway's {@code hmacSignature},
 *                           env {@code GATEWAY_HMAC_SECRET}); blank: none
 * @param allowUnsigned      whether a request without a signature is served anyway (env
 *                           {@code SUBGRAPH_ALLOW_UNSIGNED}): development and tests only. A wrong signature is
 *                           refused either way
 * @param maxRepresentations most entities one {@code _entities} call may ask for (env
 *                           {@code SUBGRAPH_MAX_REPRESENTATIONS}); a gateway asks for one page's worth, so a longer
 *                           list is a request nobody should be able to make
 */
@ConfigurationProperties("ordergraph.gateway")
public record GatewayProperties(String hmacSecret, @DefaultValue("false") boolean allowUnsigned,
                                @DefaultValue("2000") int maxRepresentations) {

    /** Read as the gateway reads it: trimmed (a secret file's trailing newline is no part of the secret), blank as none. */
    public GatewayProperties {
        hmacSecret = hmacSecret == null || hmacSecret.isBlank() ? null : hmacSecret.trim();
    }

    public boolean hasSecret() {
        return hmacSecret != null;
    }
}
