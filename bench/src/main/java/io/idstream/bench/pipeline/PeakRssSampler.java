package io.idstream.bench.pipeline;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The platform's peak resident set size while a phase runs: sampled from /proc every 100 ms on a scheduler thread of
 * its own, and once more when the phase ends, so that a short phase still has its last state counted.
 */
final class PeakRssSampler {
    private static final long INTERVAL_MS = 100;

    private final PlatformProcess platform;
    private final ScheduledExecutorService scheduler;
    private volatile double peakMb;

    private PeakRssSampler(PlatformProcess platform) {
        this.platform = platform;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-rss");
            thread.setDaemon(true);
            return thread;
        });
    }

    static PeakRssSampler start(PlatformProcess platform) {
        PeakRssSampler sampler = new PeakRssSampler(platform);
        sampler.scheduler.scheduleAtFixedRate(sampler::sample, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return sampler;
    }

    /** Stops sampling and returns the peak, in MiB. */
    double stop() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(INTERVAL_MS * 10, TimeUnit.MILLISECONDS);
        sample();
        return peakMb;
    }

    private void sample() {
        peakMb = Math.max(peakMb, platform.rssMb());
    }
}
