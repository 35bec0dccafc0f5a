package dev.ordergraph.platform.errors;

/**
 * Stable machine-readable codes, sent as {@code extensions.code} on every GraphQL error we raise.
 * Clients switch on these; the messages are for people and may change.
 */
public enum ErrorCode {
    /** No valid bearer token where one is needed. */
    UNAUTHENTICATED,
    /** A valid viewer who may not see or do this. */
    FORBIDDEN,
    /** Arguments that can never succeed: a malformed ID or cursor, a page size out of range. */
    BAD_USER_INPUT,
    /** No such thing that this viewer may see: the same answer whether it is missing or hidden, so existence does not leak. */
    NOT_FOUND,
    /** A resume cursor older than the window the service still holds. */
    CURSOR_EXPIRED,
    /** A subscriber that fell too far behind and was cut off. */
    SLOW_CONSUMER,
    /**
     * The token a subscription runs under expired: the subscription ended at that moment. Renew the token
     * and subscribe again with {@code after:} the last cursor received.
     */
    TOKEN_EXPIRED,
    /**
     * The service cannot reach its database right now (restarting, failing over, out of connections):
     * nothing was done; retry with backoff, and resume subscriptions with {@code after}.
     */
    SERVICE_UNAVAILABLE,
    /** Anything unexpected; details go to the log, never to the client. */
    INTERNAL
}
