package dev.ordergraph.e2e;

import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.Stack;

/** Base of tests that speak to the running supergraph through the gateway. */
public abstract class GatewayTest {

    protected final Stack stack = Stack.get();

    protected GraphQlClient gateway(String token) {
        return new GraphQlClient(stack.gatewayUrl(), token);
    }

    protected GraphQlClient anonymous() {
        return new GraphQlClient(stack.gatewayUrl(), null);
    }
}
