package dev.ordergraph.platform.security;

import dev.ordergraph.platform.testing.Tokens;
import dev.ordergraph.platform.testing.WebRequests;
import graphql.ExecutionResult;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The token's lifetime on both kinds of WebSocket connection: a client's own, and the gateway's shared one. */
class ViewerInterceptorTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    {
        // Tokens are checked against the real clock: the virtual one starts now, on a whole second as a JWT's exp is.
        clock.advanceTimeTo(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
    private final ViewerInterceptor interceptor = new ViewerInterceptor(decoder(), new TokenLifetime(clock));
    /** A subscription whose events never end by themselves. */
    private final WebGraphQlInterceptor.Chain subscription = request -> Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
            request.toExecutionInput(), ExecutionResult.newExecutionResult().data(Flux.<ExecutionResult>never()).build())));

    @Test
    void aSubscriptionOnTheGatewaysSharedConnectionEndsWhenItsOwnTokenExpires() {
        Map<String, Object> body = subscribe(Map.of("authorization", "Bearer " + tokenExpiringIn(Duration.ofMinutes(5))));

        WebGraphQlResponse response = interceptor.intercept(WebRequests.webSocket(body, WebRequests.session()), subscription).block();

        expiresAfter(response, Duration.ofMinutes(5));
    }

    @Test
    void aSubscriptionOnAClientsOwnConnectionEndsWhenTheConnectionsTokenExpiresAndLaterRequestsAreRefused() {
        WebSocketSessionInfo session = WebRequests.session();
        interceptor.handleConnectionInitialization(session, Map.of("Authorization", "Bearer " + tokenExpiringIn(Duration.ofMinutes(5)))).block();

        WebGraphQlResponse response = interceptor.intercept(WebRequests.webSocket(subscribe(Map.of()), session), subscription).block();
        expiresAfter(response, Duration.ofMinutes(5));

        WebGraphQlResponse later = interceptor.intercept(WebRequests.webSocket(subscribe(Map.of()), session), subscription).block();
        assertThat(later.getErrors()).singleElement().satisfies(error ->
                assertThat(error.getExtensions()).containsEntry("code", "UNAUTHENTICATED"));
    }

    private void expiresAfter(WebGraphQlResponse response, Duration lifetime) {
        @SuppressWarnings("unchecked")
        Flux<ExecutionResult> events = Flux.from((org.reactivestreams.Publisher<ExecutionResult>) response.getExecutionResult().getData());
        StepVerifier.create(events)
                .then(() -> clock.advanceTimeBy(lifetime.minusSeconds(1)))
                .expectNoEvent(Duration.ZERO)
                .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1)))
                .assertNext(result -> assertThat(result.getErrors()).singleElement().satisfies(error ->
                        assertThat(error.getExtensions()).containsEntry("code", "TOKEN_EXPIRED")))
                .verifyComplete();
    }

    private String tokenExpiringIn(Duration lifetime) {
        Instant now = Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
        return Tokens.token(3, false, claims -> claims.expirationTime(Date.from(now.plus(lifetime))));
    }

    private static Map<String, Object> subscribe(Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", "subscription { orderChanges { cursor } }");
        body.put("extensions", extensions);
        return body;
    }

    private static NimbusJwtDecoder decoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(
                AuthProperties.DEV_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(TokenValidation.of(AuthProperties.withSecret(null)));
        return decoder;
    }
}
