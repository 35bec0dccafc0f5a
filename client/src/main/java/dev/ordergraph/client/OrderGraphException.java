package dev.ordergraph.client;

import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.ClientGraphQlResponse;

import java.util.List;
import java.util.Set;

/**
 * A GraphQL error from the supergraph, with its stable {@code extensions.code} ({@code UNAUTHENTICATED},
 * {@code FORBIDDEN}, {@code BAD_USER_INPUT}, {@code CURSOR_EXPIRED}, {@code SLOW_CONSUMER},
 * {@code TOKEN_EXPIRED}, ...).
 *
 * <p>{@code TOKEN_EXPIRED} ends a subscription whose token expired. The live streams of
 * {@link OrderGraphClient} renew the token from their supplier and go on; they end with this code only when the
 * supplier has no newer token (then {@link #errors()} holds the gateway's error, and the message says why).
 */
public final class OrderGraphException extends RuntimeException {

    /** The code of a subscription ended because its token expired: renew the token and resume with {@code after}. */
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";

    /**
     * Codes after which the same request may succeed later: a subscriber that fell behind, an unexpected
     * failure, a subgraph that went away or is restarting ({@code DOWNSTREAM_SERVICE_ERROR}), and one
     * that cannot reach its database for now ({@code SERVICE_UNAVAILABLE}).
     */
    static final Set<String> TRANSIENT_CODES = Set.of("SLOW_CONSUMER", "INTERNAL", "DOWNSTREAM_SERVICE_ERROR", "SERVICE_UNAVAILABLE");

    private final String code;
    private final transient List<ResponseError> errors;

    OrderGraphException(String code, String message, List<ResponseError> errors) {
        super(message);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    static OrderGraphException from(ClientGraphQlResponse response) {
        return from(response.getErrors());
    }

    /** From a response's errors, or a subscription's graphql-ws {@code error} message. */
    static OrderGraphException from(List<ResponseError> errors) {
        if (errors.isEmpty()) {
            return new OrderGraphException("INTERNAL", "The response has no data", errors);
        }
        ResponseError first = errors.getFirst();
        Object code = first.getExtensions().get("code");
        return new OrderGraphException(code != null ? code.toString() : "UNKNOWN", first.getMessage(), errors);
    }

    /**
     * TOKEN_EXPIRED for a live stream that cannot go on: {@code expired} is the gateway's error; {@code why}
     * says what the token supplier did (returned the expired token again, an expired one, failed).
     */
    static OrderGraphException tokenNotRenewed(OrderGraphException expired, String why) {
        OrderGraphException error = new OrderGraphException(TOKEN_EXPIRED,
                "The token expired and could not be renewed: the token supplier gave no newer token (" + why + "). "
                        + "Renew the token and subscribe again with after: <last cursor>.",
                expired.errors());
        error.initCause(expired);
        return error;
    }

    /** The first error's stable code. */
    public String code() {
        return code;
    }

    /** Every error of the response. */
    public List<ResponseError> errors() {
        return errors;
    }
}
