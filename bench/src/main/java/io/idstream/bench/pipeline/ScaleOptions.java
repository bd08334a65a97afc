package io.idstream.bench.pipeline;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The size of a scale run: the population ({@code holders}, {@code consumers}, {@code issuers}, {@code credentials},
 * every count including the measured cast), a baseline of {@code baselineHolders} measured first with everything
 * else the same (0: none), and the cast that the measures drive: {@code activeHolders} holders with standing grants
 * to {@code requestingConsumers} consumers, {@code approvals} holders who approve one request each. {@code
 * commandLine} is recorded with the results so that anyone can run the same again. {@code presigned}, when not null,
 * holds the largest run's population signed ahead ({@link PresignedPopulation}); {@code loadBudgetSeconds}, when not
 * 0, stops loading holders after that long, and the run reports what it loaded.
 */
public record ScaleOptions(int holders, int consumers, int issuers, int credentials, int baselineHolders,
                           int activeHolders, int requestingConsumers, int warmupRequests, int requests,
                           int approvals, int partitions, int streamThreads, String heap, Path out,
                           String commandLine, boolean quick, Path presigned, long loadBudgetSeconds) {
    public static final Path DEFAULT_OUT = Path.of("bench", "results", "scale.json");

    /** The sizes: 1,000,000 holders, 1,000 consumers, 100 issuers, 1,000,000 credentials, a 1,000 baseline. */
    public static ScaleOptions full(Path out, String commandLine) {
        return new ScaleOptions(1_000_000, 1_000, 100, 1_000_000, 1_000, 950, 10, 30_000, 30_000, 50, 0, 0, "6g",
                out, commandLine, false, null, 0);
    }

    /** A smoke run's measures (the population as asked): a cast of 100 holders, 2 consumers, 5 approvals. */
    public static ScaleOptions quick(Path out, String commandLine) {
        return new ScaleOptions(10_000, 20, 5, 10_000, 0, 95, 2, 1_000, 2_000, 5, 0, 0, "2g", out, commandLine,
                true, null, 0);
    }

    /** The same with this population; the cast shrinks to fit {@code holderCount} when it must. */
    public ScaleOptions withPopulation(int holderCount, int consumerCount, int issuerCount, int credentialCount,
                                       int baseline) {
        return new ScaleOptions(holderCount, consumerCount, issuerCount, credentialCount, baseline, activeHolders,
                requestingConsumers, warmupRequests, requests, approvals, partitions, streamThreads, heap, out,
                commandLine, quick, presigned, loadBudgetSeconds);
    }

    /** The same on {@code topicPartitions} and {@code threads} (0 keeps the platform's default). */
    public ScaleOptions withProcessors(int topicPartitions, int threads) {
        return new ScaleOptions(holders, consumers, issuers, credentials, baselineHolders, activeHolders,
                requestingConsumers, warmupRequests, requests, approvals, topicPartitions, threads, heap, out,
                commandLine, quick, presigned, loadBudgetSeconds);
    }

    /**
     * The same, taking the largest run's population from {@code dir} (signed into it first when it holds none), and
     * loading for at most {@code budgetSeconds} (0: no limit).
     */
    public ScaleOptions withLoading(Path dir, long budgetSeconds) {
        return new ScaleOptions(holders, consumers, issuers, credentials, baselineHolders, activeHolders,
                requestingConsumers, warmupRequests, requests, approvals, partitions, streamThreads, heap, out,
                commandLine, quick, dir, budgetSeconds);
    }

    /** How many of each the population holds beside the cast, on a platform of {@code size} holders. */
    record Population(int holders, int consumers, int issuers, int credentials) {
    }

    Population population(int size) {
        BenchOptions cast = cast(size);
        int castHolders = cast.holders() + cast.approvals();
        return new Population(size - castHolders, consumers - cast.consumers(), issuers - 1,
                credentials - castHolders);
    }

    /** The measures' cast on a platform of {@code size} holders: every holder of the cast is one of them. */
    BenchOptions cast(int size) {
        int approvers = Math.min(approvals, size / 2);
        int active = Math.min(activeHolders, size - approvers);
        return new BenchOptions(quick, active, Math.min(requestingConsumers, consumers), warmupRequests, requests,
                0, approvers, 50, Duration.ofMinutes(5), heap, out, null, 1, partitions, streamThreads);
    }

    /** Refuses a population the cast does not fit in, naming the option. */
    public void validate() {
        for (int size : baselineHolders > 0 ? new int[] {holders, baselineHolders} : new int[] {holders}) {
            if (size < 2) {
                throw new IllegalArgumentException("--holders and --baseline-holders must be at least 2, not "
                        + size);
            }
        }
        if (consumers < 1 || issuers < 1) {
            throw new IllegalArgumentException("--consumers and --issuers must be at least 1");
        }
        if (credentials < holders) {
            throw new IllegalArgumentException("--credentials must be at least --holders (" + holders
                    + "): every holder of the measures holds one");
        }
    }
}
