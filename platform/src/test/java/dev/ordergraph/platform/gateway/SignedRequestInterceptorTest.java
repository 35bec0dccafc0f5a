package dev.ordergraph.platform.gateway;

import graphql.ExecutionResult;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;
import dev.ordergraph.platform.testing.WebRequests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SignedRequestInterceptorTest {

    private static final String SECRET = "interceptor-test-secret";
    private static final String QUERY = "subscription($f: OrderFilter) { orderChanges(filter: $f) { cursor } }";
    private static final Map<String, Object> VARIABLES = Map.of("f", Map.of("state", "PAID"));

    private final AtomicInteger executed = new AtomicInteger();
    private final WebGraphQlInterceptor.Chain chain = request -> {
        executed.incrementAndGet();
        return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
                ExecutionResult.newExecutionResult().data(Map.of("ok", true)).build())));
    };

    @Test
    void aRequestSignedByTheGatewayRunsOverHttpAndWebSocket() {
        SignedRequestInterceptor interceptor = interceptor(SECRET, false);
        String signature = GatewaySignature.sign(SECRET, QUERY, VARIABLES);

        assertThat(errors(interceptor, http(signature))).isEmpty();
        assertThat(errors(interceptor, webSocket(signature))).isEmpty();
        assertThat(executed).hasValue(2);
    }

    @Test
    void aWrongSignatureIsRefusedWithForbiddenEvenWhereUnsignedRequestsAreAllowed() {
        String otherVariables = GatewaySignature.sign(SECRET, QUERY, Map.of("f", Map.of("state", "UNPAID")));
        for (SignedRequestInterceptor interceptor : List.of(interceptor(SECRET, false), interceptor(SECRET, true), interceptor(null, true))) {
            for (WebGraphQlRequest request : List.of(http(otherVariables), webSocket(otherVariables), http("garbage"),
                    webSocket(GatewaySignature.sign("another-secret", QUERY, VARIABLES)))) {
                assertThat(errors(interceptor, request)).singleElement().satisfies(error -> {
                    assertThat(error.get("message")).isEqualTo("GraphQL is served through the gateway only.");
                    assertThat(error.get("extensions")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("code", "FORBIDDEN");
                });
            }
        }
        assertThat(executed).hasValue(0);
    }

    @Test
    void anUnsignedRequestIsRefusedUnlessUnsignedRequestsAreAllowed() {
        assertThat(errors(interceptor(SECRET, false), http(null))).hasSize(1);
        assertThat(errors(interceptor(SECRET, false), webSocket(null))).hasSize(1);
        assertThat(executed).hasValue(0);

        assertThat(errors(interceptor(SECRET, true), http(null))).isEmpty();
        assertThat(errors(interceptor(null, true), webSocket(null))).isEmpty();
        assertThat(executed).hasValue(2);
    }

    @Test
    void itRunsBeforeEveryOtherInterceptor() {
        assertThat(interceptor(SECRET, false).getOrder()).isLessThan(0);
    }

    private static SignedRequestInterceptor interceptor(String secret, boolean allowUnsigned) {
        return new SignedRequestInterceptor(new GatewayProperties(secret, allowUnsigned, 2000));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> errors(SignedRequestInterceptor interceptor, WebGraphQlRequest request) {
        WebGraphQlResponse response = interceptor.intercept(request, chain).block();
        return response.getExecutionResult().toSpecification().containsKey("errors")
                ? (List<Map<String, Object>>) response.getExecutionResult().toSpecification().get("errors")
                : List.of();
    }

    private static Map<String, Object> body(String signature) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", QUERY);
        body.put("variables", VARIABLES);
        if (signature != null) {
            body.put("extensions", Map.of(GatewaySignature.EXTENSION, signature));
        }
        return body;
    }

    private static WebGraphQlRequest http(String signature) {
        return WebRequests.http(body(signature));
    }

    private static WebGraphQlRequest webSocket(String signature) {
        return WebRequests.webSocket(body(signature), WebRequests.session());
    }
}
