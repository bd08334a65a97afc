package io.idstream.bench.pipeline;

import org.HdrHistogram.Histogram;

/** Percentiles of one phase's latencies, in milliseconds; {@link Recorder} collects them from any thread. */
record Latency(double p50Ms, double p99Ms, double p999Ms) {

    /**
     * Latencies in microseconds, up to a minute with three significant digits; a latency under a microsecond counts
     * as one, so that every sample lands in the histogram.
     */
    static final class Recorder {
        private final Histogram micros = new Histogram(60_000_000L, 3);

        synchronized void record(long nanos) {
            micros.recordValue(Math.max(1, nanos / 1000));
        }

        synchronized Latency percentiles() {
            return new Latency(ms(50), ms(99), ms(99.9));
        }

        private double ms(double percentile) {
            return micros.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
