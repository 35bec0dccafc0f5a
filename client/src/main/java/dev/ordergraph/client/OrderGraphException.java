package dev.ordergraph.client;

import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.ClientGraphQlResponse;

import java.util.List;
import java.util.Set;

/**
 * A GraphQL error from the supergraph, with its stable {@code extensions.code} ({@code UNAUTHENTICATED},
 * {@code FORBIDDEN}, {@code BAD_USER_INPUT}, {@code CURSOR_EXPIRED}, {@code SLOW_CONSUMER}, ...).
 */
public final class OrderGraphException extends RuntimeException {

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
        List<ResponseError> errors = response.getErrors();
        if (errors.isEmpty()) {
            return new OrderGraphException("INTERNAL", "The response has no data", errors);
        }
        ResponseError first = errors.getFirst();
        Object code = first.getExtensions().get("code");
        return new OrderGraphException(code != null ? code.toString() : "UNKNOWN", first.getMessage(), errors);
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
