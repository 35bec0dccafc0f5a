package dev.ordergraph.platform.mutation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param atomic                      whether all mutation fields of one request share one transaction, rolled back
 *                                    together when any of them fails (env {@code ORDERGRAPH_MUTATIONS_ATOMIC})
 * @param clientMutationIdMaxLength   longest {@code clientMutationId} accepted (a longer one is a field error): the
 *                                    service stores nothing of it but echoes it, so it is bounded like any other input
 */
@ConfigurationProperties("ordergraph.mutations")
public record MutationProperties(@DefaultValue("true") boolean atomic, @DefaultValue("256") int clientMutationIdMaxLength) {
}
