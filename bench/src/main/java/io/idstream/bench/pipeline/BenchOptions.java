package io.idstream.bench.pipeline;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The size of a run: {@link #full} for the figures in bench/README.md, {@link #quick} for a CI smoke run under 60 s.
 * {@code evidence}, when not null, is the directory where the run leaves what checks its deliveries afterwards
 * ({@link RunEvidence}). {@code nodes} is how many Kafka nodes the platform runs.
 */
public record BenchOptions(boolean quick, int holders, int consumers, int warmupRequests, int requests,
                           int pacedSeconds, int approvals, int verifyEvery,
                           Duration steadyTimeout, String platformHeap, Path out, Path evidence, int nodes) {
    public static BenchOptions full(Path out) {
        return new BenchOptions(false, 400, 4, 150_000, 60_000, 10, 100, 50, Duration.ofMinutes(5), "2g", out,
                null, 1);
    }

    public static BenchOptions quick(Path out) {
        return new BenchOptions(true, 40, 2, 2_000, 3_000, 3, 10, 20, Duration.ofSeconds(40), "1g", out, null,
                1);
    }

    /** The same run, leaving its evidence in {@code dir}. */
    public BenchOptions keepingEvidenceIn(Path dir) {
        return new BenchOptions(quick, holders, consumers, warmupRequests, requests, pacedSeconds, approvals,
                verifyEvery, steadyTimeout, platformHeap, out, dir, nodes);
    }

    /** The same run, on a platform of {@code kafkaNodes} Kafka nodes (each topic on up to three of them). */
    public BenchOptions onNodes(int kafkaNodes) {
        return new BenchOptions(quick, holders, consumers, warmupRequests, requests, pacedSeconds, approvals,
                verifyEvery, steadyTimeout, platformHeap, out, evidence, kafkaNodes);
    }
}
