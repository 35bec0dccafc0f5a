package dev.ordergraph.e2e.client;

import dev.ordergraph.client.OrderGraphClient;
import dev.ordergraph.client.example.OrdersExample;
import dev.ordergraph.client.generated.types.ChangeAction;
import dev.ordergraph.client.generated.types.Order;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderState;
import dev.ordergraph.client.generated.types.UpdateOrderPayload;
import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.Sql;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed Java client (client/) and its example program, against the running supergraph through the gateway. */
class TypedClientTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theExampleListsUpdatesAndReceivesChangesFromItselfAndFromOutside() throws InterruptedException {
        long owner = TestData.user("client");
        long published = stack.changesPublished();
        List<Long> ids = TestData.orders(owner, 3, LocalDate.of(2026, 5, 3), "UNPAID");
        stack.awaitChangesPublished(published + 3); // so that the example's starting cursor is past the inserts
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // The outside write comes right after the subscription is sent, before the gateway can have opened
        // it upstream: it arrives because the example subscribes after the cursor it read first.
        OrdersExample.Outcome outcome = OrdersExample.run(stack.gatewayUrl(), Tokens.viewer(owner), 2, WAIT,
                () -> Sql.orders("update orders set state = 'PAID' where id = " + ids.get(2)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(outcome.listed()).as(output).extracting(Order::getId)
                .containsExactly(ids.stream().map(id -> TestData.globalId("Order", id)).toArray(String[]::new));
        assertThat(outcome.listed()).extracting(order -> order.getUser().getUsername()).containsOnly(TestData.username(owner));
        assertThat(outcome.listed().getFirst().getDate()).isEqualTo(LocalDate.of(2026, 5, 3));

        UpdateOrderPayload update = outcome.update();
        assertThat(update.getErrors()).isEmpty();
        assertThat(update.getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(update.getClientMutationId()).isEqualTo("orders-example");
        assertThat(Sql.stateOf(ids.getFirst())).isEqualTo("PAID");

        assertThat(outcome.changes()).as(output).hasSize(2);
        assertThat(outcome.changes()).extracting(OrderChange::getAction).containsOnly(ChangeAction.UPDATED);
        assertThat(outcome.changes()).extracting(change -> change.getOrder().getId()).containsExactly(
                TestData.globalId("Order", ids.get(2)), TestData.globalId("Order", ids.getFirst()));
        assertThat(outcome.changes()).extracting(change -> change.getOrder().getUser().getUsername()).containsOnly(TestData.username(owner));
        assertThat(output).contains("Your orders (3 shown):", "Updated " + TestData.globalId("Order", ids.getFirst()) + " to PAID");
    }

    @Test
    void aLiveSubscriptionResumesAfterAGatewayRestartWithoutLosingTheChangesMadeMeanwhile() throws InterruptedException {
        long owner = TestData.user("clientlive");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 5, 1), "UNPAID").getFirst();
        BlockingQueue<OrderChange> received = new LinkedBlockingQueue<>();
        int baseline = stack.activeSubscriptions();
        try (OrderGraphClient client = OrderGraphClient.connect(stack.gatewayUrl(), Tokens.viewer(owner))) {
            Disposable live = client.liveOrderChanges(null, null, Duration.ofSeconds(1)).subscribe(received::add);
            try {
                stack.awaitSubscriptions(baseline + 1);
                Sql.orders("update orders set state = 'PAID' where id = " + order);
                assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(c -> c.getOrder().getState()).isEqualTo(OrderState.PAID);

                stack.gateway.stop();
                Sql.orders("update orders set state = 'UNPAID' where id = " + order); // while nobody can listen
                stack.gateway.start();
                stack.gateway.awaitHealthy(Duration.ofSeconds(60));

                assertResumed(received, order, "the gateway");
            } finally {
                live.dispose();
            }
        }
    }

    /**
     * orders-service killed with {@code kill -9} under a live subscription: a raw graphql-ws client is told,
     * with a code and no internal address, to resume with {@code after}; the typed client does so by
     * itself and gets the change committed while the service was down, once.
     */
    @Test
    void aLiveSubscriptionResumesByItselfAfterOrdersServiceIsKilled() throws InterruptedException {
        long owner = TestData.user("clientkill");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 5, 3), "UNPAID").getFirst();
        BlockingQueue<OrderChange> received = new LinkedBlockingQueue<>();
        int baseline = stack.activeSubscriptions();
        try (OrderGraphClient client = OrderGraphClient.connect(stack.gatewayUrl(), Tokens.viewer(owner));
             GraphQlWsClient raw = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner),
                     "subscription { orderChanges { cursor order { id state } } }", java.util.Map.of())) {
            Disposable live = client.liveOrderChanges(null, null, Duration.ofSeconds(1)).subscribe(received::add);
            try {
                stack.awaitSubscriptions(baseline + 2);
                Sql.orders("update orders set state = 'PAID' where id = " + order);
                assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(c -> c.getOrder().getState()).isEqualTo(OrderState.PAID);
                raw.awaitData(1, WAIT);

                long killed = System.nanoTime();
                stack.orders.kill();
                JsonNode interrupted = raw.poll(WAIT);
                assertThat(interrupted).as("the raw client is told").isNotNull();
                JsonNode error = interrupted.path("payload").path("errors").path(0);
                assertThat(error.path("extensions").path("code").asString()).as(interrupted.toString()).isEqualTo("DOWNSTREAM_SERVICE_ERROR");
                assertThat(error.path("message").asString()).contains("`after`")
                        .doesNotContain("127.0.0.1").doesNotContain("ECONNREFUSED").doesNotContain("localhost");

                Sql.orders("update orders set state = 'UNPAID' where id = " + order); // while orders-service is down
                stack.orders.start();
                stack.orders.awaitHealthy(Duration.ofSeconds(120));
                System.out.println("[resilience] ORDERS_KILL_TO_UP_MS " + (System.nanoTime() - killed) / 1_000_000);

                assertResumed(received, order, "orders-service");
            } finally {
                live.dispose();
            }
        }
    }

    /**
     * A live stream outlives its tokens: each expires after a few seconds, the gateway ends the subscription
     * with TOKEN_EXPIRED, and the client asks its supplier for a new token and resumes with {@code after}:
     * every change once, in order, across two expiries.
     */
    @Test
    void aLiveStreamRenewsItsTokenAndResumesWithoutLosingOrRepeatingAChange() throws InterruptedException {
        long owner = TestData.user("clientrenew");
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 5, 4), "UNPAID").getFirst();
        java.util.concurrent.atomic.AtomicInteger minted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<String> tokens = new java.util.function.Supplier<>() {
            private String token;
            private java.time.Instant expiry = java.time.Instant.EPOCH;

            @Override
            public synchronized String get() {
                if (java.time.Instant.now().isAfter(expiry.minusMillis(1000))) {
                    // `exp` is in whole seconds: the token expires at the second, renewed a second before.
                    expiry = java.time.Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                    token = Tokens.viewer(owner, expiry);
                    minted.incrementAndGet();
                }
                return token;
            }
        };
        BlockingQueue<OrderChange> received = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        int baseline = stack.activeSubscriptions();
        try (OrderGraphClient client = OrderGraphClient.connect(stack.gatewayUrl(), tokens)) {
            Disposable live = client.liveOrderChanges(null, null, Duration.ofSeconds(1)).subscribe(received::add, failed::set);
            try {
                stack.awaitSubscriptions(active -> active >= baseline + 1 || failed.get() != null, "at least " + (baseline + 1));
                assertThat(failed.get()).as("the live stream").isNull();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int updates = 0;
                while (System.nanoTime() < end) {
                    Sql.orders("update orders set state = '" + (updates % 2 == 0 ? "PAID" : "UNPAID") + "' where id = " + order);
                    updates++;
                    Thread.sleep(250);
                }
                for (int i = 0; i < updates; i++) {
                    OrderChange change = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(change).as("change %d of %d", i + 1, updates).isNotNull();
                    assertThat(change.getOrder().getState()).as("change %d in order", i + 1).isEqualTo(i % 2 == 0 ? OrderState.PAID : OrderState.UNPAID);
                }
                assertThat(received.poll(1, TimeUnit.SECONDS)).as("no change twice").isNull();
                assertThat(failed.get()).as("the live stream").isNull();
                assertThat(minted.get()).as("tokens minted across the expiries").isGreaterThanOrEqualTo(3);
            } finally {
                live.dispose();
            }
        }
    }

    /**
     * After an outage of {@code what} during which {@code order} was set to UNPAID: the live stream brings that
     * change, then the next one (PAID), and nothing twice.
     */
    private static void assertResumed(BlockingQueue<OrderChange> received, long order, String what) throws InterruptedException {
        OrderChange missed = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(missed).as("the change committed while " + what + " was down").isNotNull();
        assertThat(missed.getOrder().getState()).isEqualTo(OrderState.UNPAID);
        Sql.orders("update orders set state = 'PAID' where id = " + order);
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(c -> c.getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(received.poll(1, TimeUnit.SECONDS)).as("no change twice").isNull();
    }

    @Test
    void aSubscriptionFromTheChangesCursorGetsWhatWasCommittedBeforeItStarted() {
        long owner = TestData.user("clientcursor");
        long published = stack.changesPublished();
        long order = TestData.orders(owner, 1, LocalDate.of(2026, 5, 2), "UNPAID").getFirst();
        stack.awaitChangesPublished(published + 1);
        try (OrderGraphClient client = OrderGraphClient.connect(stack.gatewayUrl(), Tokens.viewer(owner))) {
            String cursor = client.changesCursor();
            assertThat(cursor).isNotBlank();

            Sql.orders("update orders set state = 'PAID' where id = " + order); // before anyone subscribes
            stack.awaitChangesPublished(published + 2); // published, so only a replay can bring it

            OrderChange first = client.orderChanges(null, cursor).blockFirst(WAIT);
            assertThat(first.getAction()).isEqualTo(ChangeAction.UPDATED);
            assertThat(first.getOrder().getId()).isEqualTo(TestData.globalId("Order", order));
            assertThat(first.getOrder().getState()).isEqualTo(OrderState.PAID);
        }
    }
}
