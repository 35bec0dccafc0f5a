package dev.ordergraph.client;

import dev.ordergraph.client.example.OrdersExample;
import dev.ordergraph.client.generated.types.OrderState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.ordergraph.client.Recorded.batch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example program against the stand-in gateway and the recorded session: what it prints for each change
 * (the changed fields old -> new, who made the change) and where each transaction ends.
 */
class OrdersExampleTest {

    private final FakeGateway gateway = FakeGateway.start();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void theExamplePrintsWhatChangedWhoChangedItAndWhereEachTransactionEnds() throws InterruptedException {
        gateway.answerHttp(request -> Recorded.text(request.field() + ".json")); // changesCursor, orders, updateOrder
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        OrdersExample.Outcome outcome = OrdersExample.run(gateway.graphqlUrl(), Jwts.withClaims("{\"sub\":\"7\"}"), 6,
                Duration.ofSeconds(5), () -> {
                    try {
                        gateway.takeSubscription().next(batch(1, 6));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(outcome.update().getOrder().getState()).isEqualTo(OrderState.PAID);
        assertThat(outcome.changes()).hasSize(6);
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("Change:") || line.startsWith("--")))
                .containsExactly(
                        "Change: UPDATED T3JkZXI6NDM=  state UNPAID -> PAID  outside the app  committed 2026-05-03T09:30:00.118204Z",
                        "Change: UPDATED T3JkZXI6NDI=  state UNPAID -> PAID  outside the app  committed 2026-05-03T09:30:00.118204Z",
                        "-- end of transaction",
                        "Change: CREATED T3JkZXI6NDQ=  date 2026-05-03, state UNPAID, user caty88  by caty88 (clientMutationId new-order)  committed 2026-05-03T09:31:12.501977Z",
                        "-- end of transaction",
                        "Change: UPDATED T3JkZXI6NDM=  state PAID -> UNPAID  by another user  committed 2026-05-03T09:32:40.007113Z",
                        "-- end of transaction",
                        "Change: DELETED T3JkZXI6NDI=  was date 2026-05-02, state PAID, user caty88  by caty88 (clientMutationId tidy-1)  committed 2026-05-03T09:33:05.640090Z",
                        "Change: UPDATED T3JkZXI6NDQ=  state UNPAID -> PAID  by caty88 (clientMutationId tidy-2)  committed 2026-05-03T09:33:05.640090Z",
                        "-- end of transaction");
    }
}
