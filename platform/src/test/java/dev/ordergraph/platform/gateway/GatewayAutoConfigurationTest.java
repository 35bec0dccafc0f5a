package dev.ordergraph.platform.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayAutoConfigurationTest {

    private static final String SECRET = "a-gateway-secret-of-at-least-32-bytes-0123";

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class));

    @Test
    void aServiceWithoutASecretRefusesToStartUnlessUnsignedRequestsAreAllowed() {
        context.run(started -> assertThat(started).hasFailed().getFailure()
                .rootCause().hasMessageContaining("GATEWAY_HMAC_SECRET is not set").hasMessageContaining("SUBGRAPH_ALLOW_UNSIGNED=true"));
        context.withPropertyValues("ordergraph.gateway.hmac-secret=   ").run(started -> assertThat(started).hasFailed());

        context.withPropertyValues("ordergraph.gateway.allow-unsigned=true").run(started ->
                assertThat(started).hasNotFailed().hasSingleBean(SignedRequestInterceptor.class));
        context.withPropertyValues("ordergraph.gateway.hmac-secret=" + SECRET).run(started ->
                assertThat(started).hasNotFailed().hasSingleBean(SignedRequestInterceptor.class).hasSingleBean(RepresentationsLimit.class));
    }

    @Test
    void aSecretIsReadTrimmedAndMustBeAsLongAsTheGatewayWantsIt() {
        context.withPropertyValues("ordergraph.gateway.hmac-secret=" + SECRET + "\n").run(started ->
                assertThat(started.getBean(GatewayProperties.class).hmacSecret()).isEqualTo(SECRET));
        context.withPropertyValues("ordergraph.gateway.hmac-secret=s3cret").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("shorter than 32 bytes"));
    }

    @Test
    void theProdProfileRefusesUnsignedRequests() {
        context.withPropertyValues("ordergraph.gateway.allow-unsigned=true", "ordergraph.gateway.hmac-secret=" + SECRET,
                        "spring.profiles.active=prod")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("prod profile"));
    }

    @Test
    void theRepresentationsLimitDefaultsTo2000() {
        context.withPropertyValues("ordergraph.gateway.allow-unsigned=true").run(started ->
                assertThat(started.getBean(GatewayProperties.class).maxRepresentations()).isEqualTo(2000));
    }
}
