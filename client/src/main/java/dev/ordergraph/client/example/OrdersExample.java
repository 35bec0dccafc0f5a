package dev.ordergraph.client.example;

import dev.ordergraph.client.OrderGraphClient;
import dev.ordergraph.client.TokenClaims;
import dev.ordergraph.client.generated.types.Order;
import dev.ordergraph.client.generated.types.OrderChange;
import dev.ordergraph.client.generated.types.OrderConnection;
import dev.ordergraph.client.generated.types.OrderEdge;
import dev.ordergraph.client.generated.types.OrderState;
import dev.ordergraph.client.generated.types.UpdateOrderPayload;
import reactor.core.Disposable;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lists the viewer's orders, subscribes to their changes from where the list was read (nothing committed
 * after the read is missed), flips the newest order's state with a mutation, and prints changes as they
 * arrive (that one, and any made meanwhile by psql, a batch job, another client) until it has seen enough
 * of them: what changed (each changed field, old -&gt; new), who changed it, and where each transaction
 * ends (see {@link ChangeDescription}). Everything goes through the gateway.
 *
 * <pre>
 * GATEWAY_URL=http://localhost:4000/graphql TOKEN=$(make -s token USER=1) \
 *   ./mvnw -q -pl client exec:java -Dexec.args="3"
 * </pre>
 *
 * <p>A token expires, and with it the subscription. With {@code TOKEN_COMMAND} set to a command that prints a
 * fresh token, the example renews it by itself (the client asks for one when its token expired, and the live
 * stream resumes after the last change it printed, nothing lost or repeated); {@code TOKEN} is then not needed:
 *
 * <pre>
 * TOKEN_COMMAND='make -s token USER=1' ./mvnw -q -pl client exec:java -Dexec.args="3"
 * </pre>
 */
public final class OrdersExample {

    /** What the run saw. */
    public record Outcome(List<Order> listed, UpdateOrderPayload update, List<OrderChange> changes) {
    }

    private OrdersExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        URI gateway = URI.create(env("GATEWAY_URL", "http://localhost:4000/graphql"));
        String token = env("TOKEN", null);
        String command = env("TOKEN_COMMAND", null);
        if (token == null && command == null) {
            System.err.println("Set TOKEN to a bearer token, e.g. TOKEN=$(make -s token USER=1), "
                    + "or TOKEN_COMMAND to a command that prints one, e.g. TOKEN_COMMAND='make -s token USER=1'");
            System.exit(2);
        }
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Supplier<String> tokens = command != null ? new CommandTokens(command, token) : () -> token;
        Outcome outcome = run(gateway, tokens, changes, Duration.ofMinutes(10), () -> { }, System.out);
        System.exit(outcome.changes().size() >= changes ? 0 : 1);
    }

    /**
     * The example's steps; {@code onSubscribed} runs right after subscribing (the subscription opens
     * asynchronously; a write made there arrives all the same, replayed from the cursor), before the
     * mutation. Tests write from outside there.
     */
    public static Outcome run(URI gateway, String token, int changesToAwait, Duration timeout,
                              Runnable onSubscribed, PrintStream out) throws InterruptedException {
        return run(gateway, () -> token, changesToAwait, timeout, onSubscribed, out);
    }

    /**
     * {@link #run(URI, String, int, Duration, Runnable, PrintStream)} with tokens from {@code tokens}: the
     * client asks it for a newer token when the subscription's token expired, and the stream goes on.
     */
    public static Outcome run(URI gateway, Supplier<String> tokens, int changesToAwait, Duration timeout,
                              Runnable onSubscribed, PrintStream out) throws InterruptedException {
        try (OrderGraphClient client = OrderGraphClient.connect(gateway, tokens)) {
            // Read before the list: the subscription resumes from here, so a change committed while it
            // is being set up (the gateway opens it upstream a moment after the socket is acknowledged)
            // is replayed instead of lost.
            String since = client.changesCursor();
            if (since == null) {
                out.println("(The service has seen no change yet: a change made while subscribing may be missed.)");
            }
            OrderConnection page = client.orders(10, null, null);
            List<Order> orders = page.getEdges().stream().map(OrderEdge::getNode).toList();
            out.printf("Your orders (%d shown%s):%n", orders.size(), page.getPageInfo().getHasNextPage() ? ", more exist" : "");
            orders.forEach(order -> out.printf("  %s  %s  %-6s  %s%n",
                    order.getId(), order.getDate(), order.getState(), order.getUser().getUsername()));

            List<OrderChange> changes = new CopyOnWriteArrayList<>();
            CountDownLatch enough = new CountDownLatch(changesToAwait);
            Disposable subscription = client.liveOrderChanges(null, since, Duration.ofSeconds(5)).subscribe(change -> {
                changes.add(change);
                ChangeDescription.lines(change).forEach(out::println);
                enough.countDown();
            }, error -> out.println("Subscription ended: " + error.getMessage()));
            try {
                onSubscribed.run();
                UpdateOrderPayload update = null;
                if (!orders.isEmpty()) {
                    Order newest = orders.getFirst();
                    OrderState flipped = newest.getState() == OrderState.PAID ? OrderState.UNPAID : OrderState.PAID;
                    update = client.updateOrderState(newest.getId(), flipped, "orders-example");
                    if (update.getErrors().isEmpty()) {
                        out.printf("Updated %s to %s%n", newest.getId(), update.getOrder().getState());
                    } else {
                        update.getErrors().forEach(e -> out.printf("Not saved: %s %s%n", e.getField(), e.getMessages()));
                    }
                }
                out.printf("Waiting for %d change(s)...%n", changesToAwait);
                if (!enough.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.printf("Saw %d change(s) in %s%n", changes.size(), timeout);
                }
                return new Outcome(orders, update, List.copyOf(changes));
            } finally {
                subscription.dispose();
            }
        }
    }

    /**
     * Tokens printed by a shell command (e.g. {@code make -s token USER=1}): the last one is kept while it has
     * more than 30 s left, or a tenth of its lifetime when that is shorter (by its {@code iat} and {@code exp};
     * a token without {@code exp} is kept for good), then the command runs again.
     */
    static final class CommandTokens implements Supplier<String> {

        private static final long MARGIN_SECONDS = 30;

        private final String command;
        private String token;

        CommandTokens(String command, String first) {
            this.command = command;
            this.token = first;
        }

        @Override
        public synchronized String get() {
            if (token == null || dueForRenewal(token)) {
                token = runCommand();
            }
            return token;
        }

        private String runCommand() {
            try {
                Process process = new ProcessBuilder("sh", "-c", command)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.waitFor() != 0 || printed.isEmpty()) {
                    throw new IllegalStateException("TOKEN_COMMAND `" + command + "` printed no token (exit " + process.exitValue() + ")");
                }
                return printed.lines().reduce((first, second) -> second).orElseThrow(); // the last line
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running TOKEN_COMMAND", e);
            }
        }

        private static boolean dueForRenewal(String token) {
            OptionalLong expiry = TokenClaims.expiry(token);
            if (expiry.isEmpty()) {
                return false;
            }
            OptionalLong issuedAt = TokenClaims.issuedAt(token);
            long margin = issuedAt.isPresent() ? Math.min(MARGIN_SECONDS, (expiry.getAsLong() - issuedAt.getAsLong()) / 10) : MARGIN_SECONDS;
            return Instant.now().getEpochSecond() >= expiry.getAsLong() - margin;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
