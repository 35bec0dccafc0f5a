package dev.ordergraph.e2e.bench;

/** Prints a measured figure beside its target, so {@code make bench} shows at a glance which are met. */
record Target(String name, double limit, String unit) {

    void report(double measured, String detail) {
        String verdict = measured <= limit ? "MET" : "NOT MET";
        System.out.printf("==== TARGET %-58s %10.1f %-4s (target <= %.0f %s)  %s%s%n",
                name, measured, unit, limit, unit, verdict, detail.isEmpty() ? "" : "  [" + detail + "]");
    }

    /** The median of {@code runs} against the target, with every run beside it. */
    void reportMedian(double[] runs) {
        double[] sorted = runs.clone();
        java.util.Arrays.sort(sorted);
        report(sorted[sorted.length / 2], "median of %s %s".formatted(java.util.Arrays.stream(runs).mapToObj(r -> "%.0f".formatted(r)).toList(), unit));
    }
}
