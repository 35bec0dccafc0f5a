package dev.ordergraph.orders.user;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Where the users subgraph answers, for the one question this service asks it: does a user exist.
 *
 * @param url     the users subgraph's GraphQL endpoint ({@code USERS_URL})
 * @param timeout how long a mutation waits for the answer, connecting included; past it the mutation
 *                answers {@code SERVICE_UNAVAILABLE} and writes nothing
 */
@ConfigurationProperties("ordergraph.users")
public record UsersProperties(@DefaultValue("http://localhost:8081/graphql") URI url, @DefaultValue("2s") Duration timeout) {
}
