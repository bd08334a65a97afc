package io.idstream.bench.pipeline;

import io.idstream.topics.TopicCatalogConfig;

/**
 * The platform before any load: how long its JVM took to be ready (broker, registry, processors RUNNING), and its
 * RSS and CPU use while idle for a few seconds after. Set against the partition count, these are the overhead of
 * partitions that carry nothing.
 */
final class PlatformIdle {
    /** What was measured, with the partition count and stream threads the platform ran with (0: its default). */
    record Figures(int partitions, int streamThreads, double startSeconds, double idleRssMb, double idleCpuPercent) {
    }

    private PlatformIdle() {
    }

    static Figures measure(PlatformProcess platform, BenchOptions options, int idleSeconds)
            throws InterruptedException {
        double cpuBefore = platform.cpuSeconds();
        long started = System.nanoTime();
        // Idle means idle: nothing to wait for but the clock.
        Thread.sleep(idleSeconds * 1000L);
        double cpu = platform.cpuSeconds() - cpuBefore;
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Figures(effectivePartitions(options), options.streamThreads(), platform.startSeconds,
                platform.rssMb(), 100 * cpu / seconds);
    }

    static int effectivePartitions(BenchOptions options) {
        return options.partitions() > 0 ? options.partitions()
                : (Integer) TopicCatalogConfig.DEFINITION.defaultValues().get(TopicCatalogConfig.PARTITIONS);
    }
}
