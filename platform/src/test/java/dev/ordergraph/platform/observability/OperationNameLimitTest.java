package dev.ordergraph.platform.observability;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OperationNameLimitTest {

    @Test
    void namesBeyondTheLimitAreCountedAsOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new OperationNameLimit(2));

        for (String name : new String[] {"A", "B", "C", "A", "D"}) {
            Timer.builder("graphql.request").tag("graphql.operation.name", name).register(registry).record(Duration.ofMillis(1));
        }
        Timer.builder("graphql.datafetcher").tag("graphql.operation.name", "E").register(registry).record(Duration.ofMillis(1));

        assertThat(registry.get("graphql.request").tag("graphql.operation.name", "A").timer().count()).isEqualTo(2);
        assertThat(registry.get("graphql.request").tag("graphql.operation.name", "B").timer().count()).isEqualTo(1);
        assertThat(registry.get("graphql.request").tag("graphql.operation.name", "other").timer().count()).isEqualTo(2);
        assertThat(registry.find("graphql.request").tag("graphql.operation.name", "C").timer()).isNull();
        assertThat(registry.get("graphql.datafetcher").tag("graphql.operation.name", "E").timer().count()).isEqualTo(1);
    }
}
