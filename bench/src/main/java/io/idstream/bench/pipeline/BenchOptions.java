package io.idstream.bench.pipeline;

import io.idstream.topics.TopicCatalogConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The size of a run: {@link #full} for the figures in bench/README.md, {@link #quick} for a CI smoke run under 60 s.
 * {@code evidence}, when not null, is the directory where the run leaves what checks its deliveries afterwards
 * ({@link RunEvidence}). {@code nodes} is how many Kafka nodes the platform runs. {@code partitions} and {@code
 * streamThreads}, when not 0, set the holder-keyed topics' partition count and the processors' Kafka Streams
 * {@code num.stream.threads}; at 0 the platform's defaults hold.
 */
public record BenchOptions(boolean quick, int holders, int consumers, int warmupRequests, int requests,
                           int pacedSeconds, int approvals, int verifyEvery,
                           Duration steadyTimeout, String platformHeap, Path out, Path evidence, int nodes,
                           int partitions, int streamThreads) {
    /** Kafka Streams' key for the processors' stream threads, passed through the platform's settings. */
    public static final String NUM_STREAM_THREADS = "num.stream.threads";

    public static BenchOptions full(Path out) {
        return new BenchOptions(false, 400, 4, 150_000, 60_000, 10, 100, 50, Duration.ofMinutes(5), "2g", out,
                null, 1, 0, 0);
    }

    public static BenchOptions quick(Path out) {
        return new BenchOptions(true, 40, 2, 2_000, 3_000, 3, 10, 20, Duration.ofSeconds(40), "1g", out, null,
                1, 0, 0);
    }

    /** The same run, leaving its evidence in {@code dir}. */
    public BenchOptions keepingEvidenceIn(Path dir) {
        return new BenchOptions(quick, holders, consumers, warmupRequests, requests, pacedSeconds, approvals,
                verifyEvery, steadyTimeout, platformHeap, out, dir, nodes, partitions, streamThreads);
    }

    /** The same run, on a platform of {@code kafkaNodes} Kafka nodes (each topic on up to three of them). */
    public BenchOptions onNodes(int kafkaNodes) {
        return new BenchOptions(quick, holders, consumers, warmupRequests, requests, pacedSeconds, approvals,
                verifyEvery, steadyTimeout, platformHeap, out, evidence, kafkaNodes, partitions, streamThreads);
    }

    /** The same run with {@code topicPartitions} and {@code threads} (0 keeps the platform's default). */
    public BenchOptions withProcessors(int topicPartitions, int threads) {
        return new BenchOptions(quick, holders, consumers, warmupRequests, requests, pacedSeconds, approvals,
                verifyEvery, steadyTimeout, platformHeap, out, evidence, nodes, topicPartitions, threads);
    }

    /** The platform settings these options set: only those not left at the platform's default. */
    Map<String, String> platformSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (partitions > 0) {
            settings.put(TopicCatalogConfig.PARTITIONS, Integer.toString(partitions));
        }
        if (streamThreads > 0) {
            settings.put(NUM_STREAM_THREADS, Integer.toString(streamThreads));
        }
        return settings;
    }
}
