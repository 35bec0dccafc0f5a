package dev.ordergraph.client;

import dev.ordergraph.client.FakeGateway.Subscription;
import dev.ordergraph.client.generated.types.ChangeAction;
import dev.ordergraph.client.generated.types.ChangeOriginKind;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderChangeBatch;
import dev.ordergraph.client.generated.types.OrderField;
import dev.ordergraph.client.generated.types.OrderFilter;
import dev.ordergraph.client.generated.types.OrderState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.GraphQlTransportException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.ordergraph.client.Recorded.batch;
import static dev.ordergraph.client.Recorded.change;
import static dev.ordergraph.client.Recorded.cursor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions over graphql-transport-ws: the token in {@code connection_init}, changes decoded and in
 * order, errors as {@link OrderGraphException}s, and the live streams going on after a closed connection,
 * a completed subscription, a transient error or an expired token, each time {@code after} the last
 * change they emitted (and after an expired token, on a new connection with the supplier's new token).
 */
class OrderGraphClientSubscriptionsTest {

    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);
    private static final String FIRST_TOKEN = Jwts.expiringAt(Instant.now().plus(1, ChronoUnit.HOURS));
    private static final String RENEWED_TOKEN = Jwts.expiringAt(Instant.now().plus(2, ChronoUnit.HOURS));

    private final FakeGateway gateway = FakeGateway.start();
    /** What the token supplier returns: a test renews the token by setting it. */
    private final AtomicReference<String> token = new AtomicReference<>(FIRST_TOKEN);
    private final OrderGraphClient client = OrderGraphClient.connect(gateway.graphqlUrl(), token::get);

    @AfterEach
    void close() {
        client.close();
        gateway.close();
    }

    @Test
    void orderChangesSendsTheTokenAndArgumentsAndDeliversEachChangeInOrderAsTheGeneratedTypes() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.orderChanges(OrderFilter.newBuilder().state(OrderState.PAID).build(), cursor(1)));

        Subscription subscription = gateway.takeSubscription();
        assertThat(subscription.request().token()).as("the connection_init's token").isEqualTo(FIRST_TOKEN);
        assertThat(subscription.request().field()).isEqualTo("orderChanges");
        assertThat(subscription.request().argument("after")).isEqualTo(cursor(1));
        assertThat(subscription.request().argument("filter")).isEqualTo(Map.of("state", "PAID"));
        subscription.next(change(2)).next(change(3)).next(change(4)).complete();

        List<OrderChange> changes = received.next(3);
        assertThat(changes).extracting(OrderChange::getCursor).containsExactly(cursor(2), cursor(3), cursor(4));
        assertThat(changes).extracting(OrderChange::getAction).containsExactly(ChangeAction.UPDATED, ChangeAction.CREATED, ChangeAction.UPDATED);
        OrderChange created = changes.get(1);
        assertThat(created.getCommittedAt()).isEqualTo(OffsetDateTime.parse("2026-05-03T09:31:12.501977Z"));
        assertThat(created.getOrder().getId()).isEqualTo("T3JkZXI6NDQ=");
        assertThat(created.getOrder().getDate()).isEqualTo(LocalDate.of(2026, 5, 3));
        assertThat(created.getOrder().getState()).isEqualTo(OrderState.UNPAID);
        assertThat(created.getOrder().getUser().getUsername()).isEqualTo("caty88");
        assertThat(created.getPrevious()).as("nothing before a creation").isNull();
        assertThat(created.getChangedFields()).containsExactly(OrderField.DATE, OrderField.STATE, OrderField.USER);
        assertThat(created.getTransaction().getId()).isEqualTo("zCDmuX4-EI21RrhYfhMlGZZx0w4qxf17");
        assertThat(created.getTransaction().getCommittedAt()).isEqualTo(created.getCommittedAt());
        assertThat(created.getTransaction().getLast()).isTrue();
        assertThat(created.getOrigin().getKind()).isEqualTo(ChangeOriginKind.API);
        assertThat(created.getOrigin().getClientMutationId()).isEqualTo("new-order");
        assertThat(created.getOrigin().getActor().getId()).isEqualTo("VXNlcjo3");
        assertThat(created.getOrigin().getActor().getUsername()).isEqualTo("caty88");
        assertThat(received.end()).as("completed by the server").isNull();
    }

    /**
     * Both subscriptions ask for the order before the change, the changed fields, the transaction and the origin;
     * the actor's name and each order's owner's are resolved by the users subgraph through the gateway, as
     * {@code order { user { username } }} always was.
     */
    @Test
    void theChangeStreamsSelectTheOrderBeforeTheChangeTheChangedFieldsTheTransactionAndTheOrigin() throws InterruptedException {
        List<String> change = List.of("action", "cursor", "committedAt",
                "order", "order.id", "order.date", "order.state", "order.user", "order.user.id", "order.user.username",
                "previous", "previous.id", "previous.date", "previous.state", "previous.user", "previous.user.id", "previous.user.username",
                "changedFields",
                "transaction", "transaction.id", "transaction.committedAt", "transaction.last",
                "origin", "origin.kind", "origin.clientMutationId", "origin.actor", "origin.actor.id", "origin.actor.username");

        Received.from(client.orderChanges(null, null));
        assertThat(gateway.takeSubscription().request().selected()).containsExactlyInAnyOrderElementsOf(change);

        Received.from(client.orderChangeBatches(null, null));
        assertThat(gateway.takeSubscription().request().selected()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(Stream.of("cursor", "changes"), change.stream().map(field -> "changes." + field)).toList());
    }

    /**
     * The recorded session: a psql UPDATE of two orders (OUTSIDE), a createOrder, a staff member's
     * updateOrder (API; as its owner sees it, without actor or clientMutationId) and one atomic request that
     * deletes an order and pays another (API, the viewer's own, with their clientMutationIds).
     */
    @Test
    void eachChangeOfABatchCarriesWhatChangedItsTransactionAndItsOrigin() throws InterruptedException {
        Received<OrderChangeBatch> received = Received.from(client.orderChangeBatches(null, null));
        gateway.takeSubscription().next(batch(1, 6));
        List<OrderChange> changes = received.next(1).getFirst().getChanges();

        OrderChange paid = changes.getFirst();
        assertThat(paid.getAction()).isEqualTo(ChangeAction.UPDATED);
        assertThat(paid.getPrevious().getId()).isEqualTo(paid.getOrder().getId());
        assertThat(paid.getPrevious().getState()).isEqualTo(OrderState.UNPAID);
        assertThat(paid.getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(paid.getPrevious().getUser().getUsername()).isEqualTo("caty88");
        assertThat(paid.getChangedFields()).containsExactly(OrderField.STATE);
        assertThat(paid.getOrigin().getKind()).isEqualTo(ChangeOriginKind.OUTSIDE);
        assertThat(paid.getOrigin().getActor()).isNull();
        assertThat(paid.getOrigin().getClientMutationId()).isNull();

        assertThat(changes).extracting(c -> c.getTransaction().getId()).containsExactly(
                "1kfNjSN8p9xkLBHRx-N0SkKnXZCwT8Cr", "1kfNjSN8p9xkLBHRx-N0SkKnXZCwT8Cr", "zCDmuX4-EI21RrhYfhMlGZZx0w4qxf17",
                "pgsTbIeWlgVAbkHbPTtl1-fjVVCJeIJ_", "It1VpgK_a3pGfUhEdauEmJOf2u_3pGQE", "It1VpgK_a3pGfUhEdauEmJOf2u_3pGQE");
        assertThat(changes).extracting(c -> c.getTransaction().getLast()).containsExactly(false, true, true, true, false, true);
        assertThat(changes).extracting(c -> c.getTransaction().getCommittedAt()).containsExactlyElementsOf(
                changes.stream().map(OrderChange::getCommittedAt).toList());

        OrderChange byStaff = changes.get(3);
        assertThat(byStaff.getOrigin().getKind()).isEqualTo(ChangeOriginKind.API);
        assertThat(byStaff.getOrigin().getActor()).as("not the viewer's to know").isNull();
        assertThat(byStaff.getOrigin().getClientMutationId()).isNull();

        OrderChange deleted = changes.get(4);
        assertThat(deleted.getAction()).isEqualTo(ChangeAction.DELETED);
        assertThat(deleted.getPrevious()).as("a deletion's previous is its last image").isEqualTo(deleted.getOrder());
        assertThat(deleted.getChangedFields()).isEmpty();
        assertThat(changes.subList(4, 6)).extracting(c -> c.getOrigin().getClientMutationId()).containsExactly("tidy-1", "tidy-2");
        assertThat(changes.subList(4, 6)).extracting(c -> c.getOrigin().getActor().getUsername()).containsOnly("caty88");
    }

    @Test
    void liveOrderChangesEmitsTheChangesOfEachBatchOneByOneInCommitOrder() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));

        Subscription subscription = gateway.takeSubscription();
        assertThat(subscription.request().field()).isEqualTo("orderChangeBatches");
        assertThat(subscription.request().argument("after")).isNull();
        subscription.next(batch(1, 3)).next(batch(4, 4)).next(batch(5, 6));

        assertThat(received.next(6)).extracting(OrderChange::getCursor)
                .containsExactly(cursor(1), cursor(2), cursor(3), cursor(4), cursor(5), cursor(6));
    }

    @Test
    void afterTheGatewayClosesTheConnectionTheLiveStreamReconnectsAndResumesAfterTheLastChange() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        first.next(batch(1, 2));
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(1), cursor(2));

        token.set(RENEWED_TOKEN);
        first.closeConnection(1001, "Going away"); // a gateway restart

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.connection()).as("a new connection").isEqualTo(2);
        assertThat(resumed.request().token()).as("its connection_init asked the supplier").isEqualTo(RENEWED_TOKEN);
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(2));
        resumed.next(batch(3, 3));
        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(3));
        assertThat(received.hasEnded()).isFalse();
    }

    @Test
    void aBatchCutShortByALostConnectionResumesAfterTheLastChangeEmittedNotAfterTheBatch() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF), 2);
        Subscription first = gateway.takeSubscription();
        first.next(batch(1, 3));
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(1), cursor(2));

        first.closeConnection(1011, "Internal error"); // the third change of the batch was never emitted

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(2));
        received.request(10);
        resumed.next(batch(3, 4));
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(3), cursor(4));
    }

    @Test
    void aSubscriptionTheGatewayCompletesIsResumedAfterTheLastChange() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, cursor(1), MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        assertThat(first.request().argument("after")).isEqualTo(cursor(1));
        first.next(batch(2, 3)).complete(); // as the gateway does when its supergraph changes
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(2), cursor(3));

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.connection()).as("the same connection").isEqualTo(1);
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(3));
        resumed.next(batch(4, 4));
        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(4));
    }

    @Test
    void aSubgraphThatWentAwayIsRetriedAfterTheLastChange() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        first.next(batch(1, 1)).next(Recorded.text("downstream-service-error.json")).complete();
        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(1));

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(1));
        resumed.next(batch(2, 2));
        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(2));
    }

    @Test
    void liveOrderChangeBatchesResumesAfterTheLastBatch() throws InterruptedException {
        Received<OrderChangeBatch> received = Received.from(client.liveOrderChangeBatches(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        first.next(batch(1, 3)).complete();
        OrderChangeBatch batch = received.next(1).getFirst();
        assertThat(batch.getCursor()).isEqualTo(cursor(3));
        assertThat(batch.getChanges()).extracting(OrderChange::getCursor).containsExactly(cursor(1), cursor(2), cursor(3));

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(3));
        resumed.next(batch(4, 5));
        assertThat(received.next(1).getFirst().getCursor()).isEqualTo(cursor(5));
    }

    @Test
    void onTokenExpiredTheLiveStreamRenewsItsTokenAndResumesAfterTheLastChangeOnANewConnection() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        assertThat(first.request().token()).isEqualTo(FIRST_TOKEN);
        first.next(batch(1, 2));
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(1), cursor(2));

        token.set(RENEWED_TOKEN);
        first.next(Recorded.text("token-expired.json")).complete(); // what the gateway sends at the token's exp

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.connection()).as("a new connection: the old one holds the expired token").isEqualTo(2);
        assertThat(resumed.request().token()).isEqualTo(RENEWED_TOKEN);
        assertThat(resumed.request().argument("after")).isEqualTo(cursor(2));
        resumed.next(batch(3, 4));
        assertThat(received.next(2)).extracting(OrderChange::getCursor).containsExactly(cursor(3), cursor(4));
        assertThat(received.hasEnded()).isFalse();
    }

    @Test
    void unauthenticatedOnAConnectionWhoseTokenHasPassedItsExpIsRenewedLikeTokenExpired() throws InterruptedException {
        String expired = Jwts.expiringAt(Instant.now().minusSeconds(30));
        token.set(expired); // e.g. a client that slept past its token's exp
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, cursor(1), MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        assertThat(first.request().token()).isEqualTo(expired);

        token.set(RENEWED_TOKEN);
        first.next(Recorded.text("unauthenticated.json")).complete();

        Subscription resumed = gateway.takeSubscription();
        assertThat(resumed.connection()).isEqualTo(2);
        assertThat(resumed.request().token()).isEqualTo(RENEWED_TOKEN);
        assertThat(resumed.request().argument("after")).as("still where it started").isEqualTo(cursor(1));
        resumed.next(batch(2, 2));
        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(2));
    }

    @Test
    void whenTheSupplierReturnsTheExpiredTokenAgainTheLiveStreamEndsWithTokenExpired() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        first.next(batch(1, 1)).next(Recorded.text("token-expired.json")).complete();

        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(1));
        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo(OrderGraphException.TOKEN_EXPIRED);
            assertThat(e.getMessage()).contains("it returned the expired token again");
            assertThat(e.errors()).singleElement().satisfies(error ->
                    assertThat(error.getMessage()).startsWith("Your token expired")); // the gateway's
        });
    }

    @Test
    void whenTheSupplierReturnsATokenPastItsExpTheLiveStreamEndsWithTokenExpired() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();

        token.set(Jwts.expiringAt(Instant.now().minusSeconds(5)));
        first.next(Recorded.text("token-expired.json")).complete();

        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo(OrderGraphException.TOKEN_EXPIRED);
            assertThat(e.getMessage()).contains("its token has expired too");
        });
    }

    @Test
    void aRenewedTokenTheGatewayFindsExpiredAtOnceIsNotRenewedAgain() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription first = gateway.takeSubscription();
        token.set(RENEWED_TOKEN);
        first.next(Recorded.text("token-expired.json")).complete();

        Subscription renewed = gateway.takeSubscription();
        assertThat(renewed.request().token()).isEqualTo(RENEWED_TOKEN);
        token.set(Jwts.expiringAt(Instant.now().plus(3, ChronoUnit.HOURS))); // newer still: renewing would loop
        renewed.next(Recorded.text("token-expired.json")).complete(); // e.g. the gateway's clock runs ahead

        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo(OrderGraphException.TOKEN_EXPIRED);
            assertThat(e.getMessage()).contains("the gateway found its token expired within 1000 ms");
        });
    }

    @Test
    void anErrorRetryingCannotFixEndsTheLiveStreamWithItsCode() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, cursor(1), MAX_BACKOFF));
        gateway.takeSubscription().next(Recorded.text("cursor-expired.json")).complete();

        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo("CURSOR_EXPIRED");
            assertThat(e.errors().getFirst().getPath()).isEqualTo("orderChangeBatches");
        });
    }

    @Test
    void unauthenticatedWithATokenThatHasNotExpiredEndsTheLiveStream() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        gateway.takeSubscription().next(Recorded.text("unauthenticated.json")).complete();

        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class,
                e -> assertThat(e.code()).isEqualTo("UNAUTHENTICATED"));
    }

    @Test
    void aOneShotStreamEndsWithTokenExpiredAndTheNextSubscriptionGoesOutWithTheSuppliersNewToken() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.orderChanges(null, null));
        gateway.takeSubscription().next(change(1)).next(Recorded.text("token-expired.json")).complete();

        assertThat(received.next(1)).extracting(OrderChange::getCursor).containsExactly(cursor(1));
        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class,
                e -> assertThat(e.code()).isEqualTo(OrderGraphException.TOKEN_EXPIRED));

        token.set(RENEWED_TOKEN);
        Received.from(client.orderChanges(null, cursor(1)));
        Subscription again = gateway.takeSubscription();
        assertThat(again.connection()).isEqualTo(2);
        assertThat(again.request().token()).isEqualTo(RENEWED_TOKEN);
    }

    @Test
    void aGraphQlWsErrorMessageWithACodeIsAnOrderGraphException() throws InterruptedException {
        Received<OrderChangeBatch> received = Received.from(client.orderChangeBatches(null, null));
        gateway.takeSubscription().error(Recorded.text("validation-failed.json"));

        assertThat(received.error()).isInstanceOfSatisfying(OrderGraphException.class, e -> {
            assertThat(e.code()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
            assertThat(e.getMessage()).isEqualTo("Cannot query field \"committedAt\" on type \"OrderChange\".");
        });
    }

    @Test
    void closingTheClientEndsItsLiveStreams() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        gateway.takeSubscription().next(batch(1, 1));
        assertThat(received.next(1)).hasSize(1);

        client.close();

        assertThat(received.error()).isInstanceOf(GraphQlTransportException.class).hasMessageContaining("was stopped");
    }

    @Test
    void disposingAStreamUnsubscribesAtTheGateway() throws InterruptedException {
        Received<OrderChange> received = Received.from(client.liveOrderChanges(null, null, MAX_BACKOFF));
        Subscription subscription = gateway.takeSubscription();

        received.dispose();

        assertThat(subscription.awaitCancelled()).as("complete sent: the gateway frees its place").isTrue();
    }

    /**
     * The first subscription of a new connection goes out as soon as the gateway acknowledges the connection,
     * however quickly that comes (it once failed now and then with "Unexpected request before Flux is
     * subscribed to": see OrderGraphClient.Connection). A race, so tried on a few new connections.
     */
    @Test
    void theFirstSubscriptionOnANewConnectionIsAlwaysSent() throws InterruptedException {
        for (int i = 1; i <= 20; i++) {
            try (OrderGraphClient fresh = OrderGraphClient.connect(gateway.graphqlUrl(), token::get)) {
                Received<OrderChange> received = Received.from(fresh.orderChanges(null, null));
                Subscription subscription = gateway.takeSubscription();
                assertThat(subscription.request().token()).isEqualTo(FIRST_TOKEN);
                subscription.next(change(i % 6 + 1));
                assertThat(received.next(1)).as("connection %d", i).hasSize(1);
            }
        }
    }
}
