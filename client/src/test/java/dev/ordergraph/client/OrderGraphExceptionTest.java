package dev.ordergraph.client;

import graphql.ErrorClassification;
import graphql.language.SourceLocation;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.execution.ErrorType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrderGraphExceptionTest {

    @Test
    void takesTheCodeAndMessageOfTheFirstErrorAndKeepsThemAll() {
        List<ResponseError> errors = List.of(
                error("'first' must be between 0 and 100, was 500.", Map.of("code", "BAD_USER_INPUT")),
                error("Only the order's owner and staff may change it.", Map.of("code", "FORBIDDEN")));

        OrderGraphException exception = OrderGraphException.from(errors);

        assertThat(exception.code()).isEqualTo("BAD_USER_INPUT");
        assertThat(exception.getMessage()).isEqualTo("'first' must be between 0 and 100, was 500.");
        assertThat(exception.errors()).containsExactlyElementsOf(errors);
    }

    @Test
    void anErrorWithoutACodeIsUnknown() {
        OrderGraphException exception = OrderGraphException.from(List.of(error("Something went wrong.", Map.of())));

        assertThat(exception.code()).isEqualTo("UNKNOWN");
        assertThat(exception.getMessage()).isEqualTo("Something went wrong.");
    }

    @Test
    void noErrorsAndNoDataIsInternal() {
        OrderGraphException exception = OrderGraphException.from(List.of());

        assertThat(exception.code()).isEqualTo("INTERNAL");
        assertThat(exception.errors()).isEmpty();
    }

    @Test
    void aTokenNotRenewedIsTokenExpiredWithTheGatewaysErrorAsItsCause() {
        ResponseError gateways = error("Your token expired; renew it and subscribe again with after: <last cursor>.",
                Map.of("code", "TOKEN_EXPIRED"));
        OrderGraphException expired = OrderGraphException.from(List.of(gateways));

        OrderGraphException notRenewed = OrderGraphException.tokenNotRenewed(expired, "it returned the expired token again");

        assertThat(notRenewed.code()).isEqualTo(OrderGraphException.TOKEN_EXPIRED);
        assertThat(notRenewed.getMessage()).contains("it returned the expired token again", "after: <last cursor>");
        assertThat(notRenewed.errors()).containsExactly(gateways);
        assertThat(notRenewed.getCause()).isSameAs(expired);
    }

    /** An error as a response holds it; the client reads only its message and extensions. */
    private static ResponseError error(String message, Map<String, Object> extensions) {
        return new ResponseError() {
            @Override
            public String getMessage() {
                return message;
            }

            @Override
            public ErrorClassification getErrorType() {
                return ErrorType.INTERNAL_ERROR;
            }

            @Override
            public String getPath() {
                return "";
            }

            @Override
            public List<Object> getParsedPath() {
                return List.of();
            }

            @Override
            public List<SourceLocation> getLocations() {
                return List.of();
            }

            @Override
            public Map<String, Object> getExtensions() {
                return extensions;
            }
        };
    }
}
