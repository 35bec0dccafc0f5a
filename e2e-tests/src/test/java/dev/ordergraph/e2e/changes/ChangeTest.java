package dev.ordergraph.e2e.changes;

import dev.ordergraph.e2e.GatewayTest;
import org.junit.jupiter.api.BeforeEach;

/** Base of the subscription tests: knows when the subscriptions a test opened have reached orders-service. */
abstract class ChangeTest extends GatewayTest {

    private int baseline;

    @BeforeEach
    void countEarlierSubscriptions() {
        baseline = stack.activeSubscriptions();
    }

    /** Waits until the {@code count} subscriptions this test opened are registered at orders-service. */
    protected void awaitSubscribed(int count) {
        stack.awaitSubscriptions(baseline + count);
    }
}
