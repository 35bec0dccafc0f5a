package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.StackLocks;
import dev.ordergraph.e2e.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Base of tests that speak to the running supergraph through the gateway. They take turns (they count
 * subscriptions and statements on the shared services); classes that bring their own stack
 * ({@link StackLocks#OWN}) run alongside them.
 */
@ResourceLock(StackLocks.SHARED)
public abstract class GatewayTest {

    protected final Stack stack = Stack.get();

    /** Before a subclass's {@code @BeforeAll} writes its data: starting the stack recreates the databases. */
    @BeforeAll
    static void startTheStack() {
        Stack.get();
    }

    protected GraphQlClient gateway(String token) {
        return new GraphQlClient(stack.gatewayUrl(), token);
    }

    protected GraphQlClient anonymous() {
        return new GraphQlClient(stack.gatewayUrl(), null);
    }
}
