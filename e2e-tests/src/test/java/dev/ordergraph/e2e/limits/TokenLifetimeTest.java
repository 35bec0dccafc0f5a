package dev.ordergraph.e2e.limits;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.GraphQlWsClient;
import dev.ordergraph.e2e.support.SseClient;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription lives no longer than its token: at {@code exp} it gets one {@code TOKEN_EXPIRED} error and
 * then {@code complete}, through the gateway (WebSocket and SSE) and on a direct WebSocket to orders-service,
 * and a change committed after the expiry never reaches it (a subscriber whose token is still good gets
 * that change: the positive control). Tokens without {@code exp} are refused.
 */
class TokenLifetimeTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration LIFETIME = Duration.ofSeconds(4);
    private static final String CHANGES = "subscription { orderChanges { action cursor order { id } } }";

    @Test
    void aWebSocketSubscriptionThroughTheGatewayEndsWhenItsTokenExpires() {
        expiresAndHearsNothingAfter(stack.gatewayUrl(), "wsexpiry");
    }

    @Test
    void aDirectWebSocketSubscriptionAtOrdersServiceEndsWhenItsTokenExpires() {
        expiresAndHearsNothingAfter(stack.ordersUrl(), "directexpiry");
    }

    @Test
    void anSseSubscriptionThroughTheGatewayEndsWhenItsTokenExpires() {
        long owner = TestData.user("sseexpiry");
        int baseline = stack.activeSubscriptions();
        Instant expiry = Instant.now().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS); // `exp` is in whole seconds
        try (SseClient sse = SseClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner, expiry), CHANGES, Map.of());
             GraphQlWsClient control = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of())) {
            stack.awaitSubscriptions(baseline + 2);
            long before = TestData.orders(owner, 1, LocalDate.of(2026, 10, 1), "UNPAID").getFirst();
            assertThat(sse.poll(WAIT).path("data").path("orderChanges").path("order").path("id").asString())
                    .isEqualTo(TestData.globalId("Order", before));
            control.awaitData(1, WAIT);

            sleepUntil(expiry.plusMillis(20));
            long after = TestData.orders(owner, 1, LocalDate.of(2026, 10, 2), "UNPAID").getFirst();
            assertThat(control.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("id").asString())
                    .isEqualTo(TestData.globalId("Order", after));

            JsonNode expired = sse.poll(WAIT);
            assertThat(expired).as("one error at expiry").isNotNull();
            assertThat(expired.path("data").isMissingNode() || expired.path("data").isNull()).as("no data after the expiry: " + expired).isTrue();
            assertThat(expired.path("errors").get(0).path("extensions").path("code").asString()).as(expired.toString()).isEqualTo("TOKEN_EXPIRED");
            assertThat(sse.poll(WAIT).asString()).as("then the stream ends").isEqualTo(SseClient.COMPLETE);
        }
    }

    /**
     * A client whose token lasts joins the gateway's shared stream opened under a token that expires; the
     * stream moves to the lasting token before the other one expires (shared-subscriptions.ts), while orders
     * are inserted every 50 ms across the move and the expiry. The lasting client gets every one of them
     * once, in order; the expiring one gets TOKEN_EXPIRED at its expiry and nothing after.
     */
    @Test
    void aSharedStreamOutlivesItsOpenersTokenWithoutLosingOrRepeatingAChange() throws Exception {
        long owner = TestData.user("handover");
        int baseline = stack.activeSubscriptions();
        int upstream = stack.upstreamSubscriptions();
        // Long enough for both to subscribe before the hand-over, half-way to the expiry.
        Instant expiry = Instant.now().plus(LIFETIME.multipliedBy(2)).truncatedTo(ChronoUnit.SECONDS);
        try (GraphQlWsClient expiring = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner, expiry), CHANGES, Map.of())) {
            stack.awaitSubscriptions(baseline + 1);
            try (GraphQlWsClient lasting = GraphQlWsClient.subscribe(stack.gatewayUrl(), Tokens.viewer(owner), CHANGES, Map.of())) {
                Thread.sleep(300); // the second one joins the first one's stream: orders-service still sees one
                assertThat(stack.upstreamSubscriptions()).as("one upstream subscription for both").isLessThanOrEqualTo(upstream + 1);
                List<String> inserted = new ArrayList<>();
                List<String> afterExpiry = new ArrayList<>(); // inserted once the expiring token had expired
                LocalDate day = LocalDate.of(2026, 11, 1);
                while (Instant.now().isBefore(expiry.plusMillis(1500))) {
                    boolean expired = !Instant.now().isBefore(expiry);
                    String id = TestData.globalId("Order", TestData.orders(owner, 1, day, "UNPAID").getFirst());
                    inserted.add(id);
                    if (expired) {
                        afterExpiry.add(id);
                    }
                    Thread.sleep(50);
                }
                assertThat(inserted).as("orders inserted before and after the expiry").hasSizeGreaterThan(40);
                List<String> received = lasting.awaitData(inserted.size(), WAIT).stream()
                        .map(data -> data.path("orderChanges").path("order").path("id").asString()).toList();
                assertThat(received).as("every change once, in order, across the hand-over and the expiry").isEqualTo(inserted);
                lasting.assertNothingFor(Duration.ofMillis(500));

                List<JsonNode> messages = new ArrayList<>();
                JsonNode message;
                while ((message = expiring.poll(Duration.ofSeconds(2))) != null) {
                    messages.add(message);
                }
                assertThat(messages).as("its changes, one TOKEN_EXPIRED, complete").hasSizeGreaterThanOrEqualTo(2);
                JsonNode expired = messages.get(messages.size() - 2);
                assertThat(expired.path("payload").path("errors").get(0).path("extensions").path("code").asString())
                        .as(expired.toString()).isEqualTo("TOKEN_EXPIRED");
                assertThat(messages.getLast().path("type").asString()).isEqualTo("complete");
                assertThat(messages.size() - 2).as("only changes from before its expiry").isPositive().isLessThan(inserted.size());
                List<String> heard = messages.subList(0, messages.size() - 2).stream()
                        .map(m -> m.path("payload").path("data").path("orderChanges").path("order").path("id").asString()).toList();
                assertThat(heard).as("the first changes, once each, in order").isEqualTo(inserted.subList(0, heard.size()));
                assertThat(afterExpiry).as("orders inserted after the expiry").isNotEmpty();
                assertThat(heard).as("none committed after its expiry").doesNotContainAnyElementsOf(afterExpiry);
            }
        }
    }

    @Test
    void aTokenWithoutExpiryIsRefusedByTheGatewayAndTheSubgraphs() {
        long owner = TestData.user("noexp");
        String token = Tokens.withoutExpiry(owner);

        Response viaGateway = gateway(token).execute("{ getOrders { id } }");
        assertThat(viaGateway.errorCodes()).as(viaGateway.toString()).containsExactly("UNAUTHENTICATED");
        for (URI subgraph : new URI[] {stack.ordersUrl(), stack.usersUrl()}) {
            Response direct = new GraphQlClient(subgraph, token).execute("{ __typename }");
            assertThat(direct.status()).as(subgraph + ": " + direct).isEqualTo(401);
            assertThat(direct.errorCodes()).containsExactly("UNAUTHENTICATED");
        }
        Response control = gateway(Tokens.viewer(owner)).execute("{ me { username } }");
        assertThat(control.data().path("me").path("username").asString()).isEqualTo(TestData.username(owner));
    }

    private void expiresAndHearsNothingAfter(URI url, String prefix) {
        long owner = TestData.user(prefix);
        int baseline = stack.activeSubscriptions();
        Instant expiry = Instant.now().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS); // `exp` is in whole seconds
        try (GraphQlWsClient expiring = GraphQlWsClient.subscribe(url, Tokens.viewer(owner, expiry), CHANGES, Map.of());
             GraphQlWsClient control = GraphQlWsClient.subscribe(url, Tokens.viewer(owner), CHANGES, Map.of())) {
            stack.awaitSubscriptions(baseline + 2);
            long before = TestData.orders(owner, 1, LocalDate.of(2026, 10, 3), "UNPAID").getFirst();
            assertThat(expiring.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("id").asString())
                    .isEqualTo(TestData.globalId("Order", before));
            control.awaitData(1, WAIT);

            // A change committed just after the expiry, whether or not the expiry has been sent yet.
            sleepUntil(expiry.plusMillis(20));
            long after = TestData.orders(owner, 1, LocalDate.of(2026, 10, 4), "UNPAID").getFirst();
            assertThat(control.awaitData(1, WAIT).getFirst().path("orderChanges").path("order").path("id").asString())
                    .as("the change after the expiry is committed and delivered").isEqualTo(TestData.globalId("Order", after));

            // The expiring subscription's last messages: one TOKEN_EXPIRED error, then complete; never that change.
            JsonNode expired = expiring.poll(WAIT);
            assertThat(expired).as("one error at expiry").isNotNull();
            assertThat(expired.path("type").asString()).as(expired.toString()).isEqualTo("next");
            assertThat(expired.path("payload").has("data") && !expired.path("payload").path("data").isNull())
                    .as("no data after the expiry: " + expired).isFalse();
            assertThat(expired.path("payload").path("errors")).hasSize(1);
            assertThat(expired.path("payload").path("errors").get(0).path("extensions").path("code").asString()).isEqualTo("TOKEN_EXPIRED");
            assertThat(Instant.now()).isAfterOrEqualTo(expiry.minusMillis(50));
            JsonNode completed = expiring.poll(WAIT);
            assertThat(completed).as("then complete").isNotNull();
            assertThat(completed.path("type").asString()).as(completed.toString()).isEqualTo("complete");
        }
    }

    private static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
