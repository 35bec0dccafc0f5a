package dev.ordergraph.e2e.bench;

import dev.ordergraph.e2e.support.PostGraphilePeer;
import dev.ordergraph.e2e.support.Stack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.ordergraph.e2e.bench.PacedUpdates.ms;

/**
 * {@link ChangeBenchmark}'s latency, bulk and fan-out workloads on ordergraph and then on a local
 * PostGraphile 4 with live queries ({@link PostGraphilePeer}: logical decoding read every 10 ms, live
 * queries re-run at most every 26 ms), on the same PostgreSQL, driven by the same clients, printed side by
 * side with their ratios. ordergraph runs first, before PostGraphile starts (its slot would decode the
 * same WAL meanwhile); while PostGraphile runs, ordergraph's services are idle.
 * <p>
 * Only with {@code -Dbench.peer=postgraphile} ({@code make bench PEER=postgraphile}); skipped, saying why,
 * when PostGraphile's packages cannot be installed or wal2json is missing.
 */
@Tag("benchmark")
class PeerBenchmark {

    @Test
    void ordergraphAndPostGraphileSideBySide() throws Exception {
        String peerName = System.getProperty("bench.peer", "");
        if (peerName.isBlank()) {
            print("skipped: no peer asked for (make bench PEER=postgraphile, or -Dbench.peer=postgraphile)");
            Assumptions.abort("no peer asked for");
        }
        if (!peerName.equals("postgraphile")) {
            throw new IllegalArgumentException("unknown peer '" + peerName + "': the one known is postgraphile");
        }
        Stack stack = Stack.get();
        String unavailable = PostGraphilePeer.unavailable(stack.root());
        if (unavailable != null) {
            print("PostGraphile skipped: " + unavailable);
            Assumptions.abort("PostGraphile skipped: " + unavailable);
        }
        int updates = Integer.getInteger("bench.updates", 500);
        int rows = Integer.getInteger("bench.rows", 10_000);
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        int rounds = 3;

        ChangeBenchmark.Latency ourLatency = ChangeBenchmark.latency(updates);
        double[][] ourBulk = ChangeBenchmark.bulk(rows, rounds);
        ChangeBenchmark.Spread ourSpread = ChangeBenchmark.fanOut("through the gateway, viewers who signed in over the past hour",
                stack.gatewayUrl(), ChangeBenchmark.FAN_OUT_WITH_USER, ChangeBenchmark.signedInOverAnHour(6_000_000, subscribers), true);

        PeerChanges.Latency theirLatency;
        List<PeerChanges.Bulk> theirBulk;
        PeerChanges.Spread theirSpread;
        try (PostGraphilePeer peer = PostGraphilePeer.start(stack.root())) {
            PeerChanges peerChanges = new PeerChanges(peer);
            theirLatency = peerChanges.latency(ChangeBenchmark.WARM_UP_UPDATES, updates, ChangeBenchmark.RATE);
            theirBulk = peerChanges.bulk(rows, rounds);
            theirSpread = peerChanges.fanOut(subscribers);
        }

        long[] ours = ourLatency.gateway();
        long[] oursFirst = ourLatency.gatewayFirst();
        long[] theirs = PacedUpdates.sorted(theirLatency.inOrder(), ChangeBenchmark.WARM_UP_UPDATES, theirLatency.inOrder().length);
        long[] theirsFirst = ChangeBenchmark.Latency.first(theirLatency.inOrder());
        double[] theirBulkMs = theirBulk.stream().mapToDouble(PeerChanges.Bulk::ms).toArray();
        print("PostGraphile: %d updates shown in %d messages (a live query sends one result for the changes of its throttle window)"
                .formatted(theirLatency.inOrder().length, theirLatency.messages()));

        List<String[]> table = new ArrayList<>();
        table.add(row("commit → client, %,d updates of one order at 50/s (after 250), p50".formatted(updates), ms(ours, 0.5), ms(theirs, 0.5), "ms"));
        table.add(row("same, p99", ms(ours, 0.99), ms(theirs, 0.99), "ms"));
        table.add(row("same, the first 10 s of the schedule, p99", ms(oursFirst, 0.99), ms(theirsFirst, 0.99), "ms"));
        table.add(row("%,d-row UPDATE to one subscriber, all rows shown: ordergraph `orderChangeBatches`, median of %d".formatted(rows, rounds),
                median(ourBulk[0]), median(theirBulkMs), "ms"));
        table.add(row("same, ordergraph per change (`orderChanges`)", median(ourBulk[1]), median(theirBulkMs), "ms"));
        table.add(row("one change to %,d viewers (signed in over an hour), all".formatted(subscribers),
                ourSpread.arrival().allMillis(), theirSpread.arrival().allMillis(), "ms"));
        table.add(row("same, p50", ms(ourSpread.arrival().sorted(), 0.5), ms(theirSpread.arrival().sorted(), 0.5), "ms"));

        System.out.println();
        System.out.println("==== SIDE BY SIDE: ordergraph through the gateway, with user fields / PostGraphile 4 live queries"
                + " (LD_WAIT=" + PostGraphilePeer.POLL_MS + " ms, LIVE_THROTTLE=" + PostGraphilePeer.THROTTLE_MS + " ms), same PostgreSQL, same clients");
        System.out.println("| workload | ordergraph | PostGraphile | PostGraphile / ordergraph |");
        System.out.println("|---|---|---|---|");
        for (String[] line : table) {
            System.out.println("| " + String.join(" | ", line) + " |");
        }
        System.out.println("(a ratio above 1: ordergraph is faster)");
    }

    private static String[] row(String workload, double ours, double theirs, String unit) {
        String ratio = ours > 0 ? "%.2f".formatted(theirs / ours) : "n/a";
        return new String[] {workload, "%,.1f %s".formatted(ours, unit), "%,.1f %s".formatted(theirs, unit), ratio};
    }

    private static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void print(String line) {
        System.out.println("==== PeerBenchmark: " + line);
    }
}
