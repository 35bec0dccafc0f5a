package dev.ordergraph.platform.gateway;

import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.errors.GraphQlErrors;
import graphql.ExecutionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Serves GraphQL only to gateways: every request, over HTTP and each {@code subscribe} over WebSocket, must
 * carry the gateway's signature of its query and variables ({@link GatewaySignature}). Clients reach the
 * gateway only, so a request that reaches a subgraph unsigned came around it, past the gateway's limits
 * (depth, cost, tokens); and the signature covers the variables, so a signed request cannot be replayed
 * with other arguments. A wrong signature is always refused; a missing one is let in only where
 * {@code SUBGRAPH_ALLOW_UNSIGNED=true} (development, tests). Runs before every other interceptor, so a
 * refused request costs no token check and no execution.
 */
public class SignedRequestInterceptor implements WebGraphQlInterceptor, Ordered {

    /** First: nothing else runs for a request that did not come from a gateway. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;
    static final String MESSAGE = "GraphQL is served through the gateway only.";
    private static final Logger log = LoggerFactory.getLogger(SignedRequestInterceptor.class);

    /** {@code null} without a secret: then every signature is refused, as none can be checked. */
    private final GatewaySignature signature;
    private final boolean allowUnsigned;

    public SignedRequestInterceptor(GatewayProperties properties) {
        this.signature = properties.hasSecret() ? new GatewaySignature(properties.hmacSecret()) : null;
        this.allowUnsigned = properties.allowUnsigned();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Object given = request.getExtensions().get(GatewaySignature.EXTENSION);
        boolean admitted = given == null
                ? allowUnsigned
                : signature != null && signature.verifies(request.getDocument(), request.getVariables(), given);
        if (!admitted) {
            log.debug("Refused a {} request from {}", given == null ? "unsigned" : "wrongly signed", request.getRemoteAddress());
            return Mono.just(forbidden(request));
        }
        return chain.next(request);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private static WebGraphQlResponse forbidden(WebGraphQlRequest request) {
        ExecutionResult refused = ExecutionResult.newExecutionResult()
                .addError(GraphQlErrors.error(ErrorCode.FORBIDDEN, MESSAGE, null))
                .build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused));
    }
}
