package io.idstream.bench.pipeline;

import java.util.Arrays;

/**
 * p50, p99 and the largest of a few hundred or thousand timed calls, in milliseconds, by the nearest-rank method: the
 * p-th percentile is the smallest sample that at least p percent of the samples do not exceed, so with 500 samples
 * p99 is the 495th smallest, never an interpolation between two of them.
 */
public record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {

    /** The percentiles of {@code nanos}, durations in nanoseconds; at least one. */
    static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, ms(rank(sorted, 50)), ms(rank(sorted, 99)),
                ms(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile: the sample at rank ceil(p/100 × n), counting from one. */
    static long rank(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
