package dev.ordergraph.e2e.support;

/**
 * The resource locks by which the test classes run two at a time (JUnit's parallel execution, set in the
 * e2e pom): those on the shared {@link Stack} one after another, and meanwhile, one after another, those
 * that start an orders-service stack of their own (ports, database and replication slot of their own;
 * they only share users-service, which every test uses as a client would).
 */
public final class StackLocks {

    /** Held by each test class of the shared stack ({@code GatewayTest}). */
    public static final String SHARED = "dev.ordergraph.e2e.shared-stack";
    /** Held by each test class that starts a stack of its own (ScaleOutTest, DatabaseRestartTest). */
    public static final String OWN = "dev.ordergraph.e2e.own-stack";

    private StackLocks() {
    }
}
