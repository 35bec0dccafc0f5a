package dev.ordergraph.orders.changes.capture.disabled;

import dev.ordergraph.orders.changes.capture.CaptureMode;
import dev.ordergraph.orders.changes.capture.ChangeCaptureHealthIndicator;
import dev.ordergraph.orders.changes.capture.ChangeSource;
import dev.ordergraph.orders.changes.capture.ConditionalOnCaptureMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code ordergraph.cdc.enabled=false} without Kafka (slice tests): no slot is read, subscriptions
 * receive nothing, and health says so as UNKNOWN rather than DOWN.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnCaptureMode(CaptureMode.DISABLED)
public class DisabledCapture {

    private static final Logger log = LoggerFactory.getLogger(DisabledCapture.class);

    @Bean
    ChangeSource changeSource() {
        return new ChangeSource() {
            @Override
            public void start(Handler handler) {
                log.info("Change data capture is disabled (ordergraph.cdc.enabled=false): subscriptions receive nothing");
            }

            @Override
            public void stop() {
            }
        };
    }

    @Bean(ChangeCaptureHealthIndicator.NAME)
    HealthIndicator changeCapture() {
        return () -> Health.unknown().withDetail("engine", "disabled").build();
    }
}
