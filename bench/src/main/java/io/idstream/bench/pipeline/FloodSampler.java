package io.idstream.bench.pipeline;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the platform every second during the flood benchmark: the most heap in use (before any collection, so an
 * upper bound of what was live), the longest time between two polls of the processors' consumer, and the
 * rebalances their stream threads went through. A sample the platform does not answer is skipped.
 */
final class FloodSampler implements AutoCloseable {
    private final PlatformJmx jmx;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "flood-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile double peakUsedMb;
    private volatile double maxPollIntervalMs;
    private volatile double rebalancesAtStart = -1;
    private volatile double rebalances;

    private FloodSampler(PlatformJmx jmx) {
        this.jmx = jmx;
    }

    static FloodSampler start(PlatformJmx jmx) {
        FloodSampler sampler = new FloodSampler(jmx);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 1, TimeUnit.SECONDS);
        return sampler;
    }

    private void sample() {
        try {
            peakUsedMb = Math.max(peakUsedMb, jmx.heap().getUsed() / PlatformJmx.MB);
            maxPollIntervalMs = Math.max(maxPollIntervalMs, jmx.maxPollIntervalMs());
            double total = jmx.rebalances();
            if (rebalancesAtStart < 0) {
                rebalancesAtStart = total;
            }
            rebalances = total - rebalancesAtStart;
        } catch (IOException | RuntimeException e) {
            // The platform too busy to answer is itself a finding: the figures keep what was read.
        }
    }

    double peakUsedMb() {
        return peakUsedMb;
    }

    double maxPollIntervalMs() {
        return maxPollIntervalMs;
    }

    /** Rebalances since the first sample. */
    double rebalances() {
        return rebalances;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
