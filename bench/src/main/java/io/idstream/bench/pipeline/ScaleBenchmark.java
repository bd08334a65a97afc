package io.idstream.bench.pipeline;

import io.idstream.processors.StoreNames;
import io.idstream.topics.TopicCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One scale run at one population size, on a platform of its own in a second JVM: loads the population
 * ({@link ScalePopulation}), sets up the measures' cast as the pipeline benchmark does ({@link Pipeline}), measures
 * the steady state after a warm-up and one-click approvals under a fifth of its rate, reads what the platform keeps
 * on disk ({@link StateSizes}) and its RSS, then stops the platform and starts it twice on the same data: with its
 * processors' state kept (not in a quick run), and with it wiped, each time until one request per cast holder is
 * answered.
 */
final class ScaleBenchmark {
    private final ScaleOptions options;
    private final Consumer<String> progress;

    ScaleBenchmark(ScaleOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    ScaleRun run(int holders) throws Exception {
        BenchOptions cast = options.cast(holders);
        int castHolders = cast.holders() + cast.approvals();
        Path dataDir = Files.createTempDirectory("idstream-scale");
        try {
            Participants participants;
            ScalePopulation.Figures population;
            double castSetUp;
            SteadyStatePhase.Figures steady;
            ApprovalPhase.Figures approvals;
            double rss;
            Map<String, Long> logPerDelivery;
            progress.accept(holders + " holders: starting the platform in its own JVM");
            try (PlatformProcess platform = PlatformProcess.start(options.heap(), dataDir, List.of(), false, 1,
                    cast.platformSettings())) {
                TopicCatalog catalog = TopicCatalog.create(Map.of("schema.registry.url", platform.schemaRegistryUrl));
                ScaleOptions.Population wanted = options.population(holders);
                population = new ScalePopulation(platform, catalog, Map.of("bootstrap.servers",
                        platform.bootstrapServers, "isolation.level", "read_committed"), progress)
                        .load(source(holders), wanted.holders(), wanted.consumers(), wanted.issuers(),
                                wanted.credentials(), options.loadBudgetSeconds());
                progress.accept(String.format("%d holders: population loaded in %.0f s (%.0f records/s); setting up "
                        + "the cast", holders, population.seconds(), population.recordsPerSec()));
                long castStarted = System.nanoTime();
                try (Pipeline pipeline = Pipeline.setUp(platform, cast)) {
                    castSetUp = (System.nanoTime() - castStarted) / 1e9;
                    participants = pipeline.participants;
                    SteadyStatePhase steadyState = new SteadyStatePhase(pipeline, cast);
                    progress.accept(holders + " holders: warm-up, " + cast.warmupRequests() + " requests");
                    steadyState.run(cast.warmupRequests(), 0);
                    progress.accept(holders + " holders: steady state, " + cast.requests() + " requests");
                    Map<String, Long> logBefore = TopicLogBytes.of(dataDir.resolve("kafka"));
                    steady = steadyState.run(cast.requests(), 0);
                    logPerDelivery = TopicLogBytes.growth(logBefore, TopicLogBytes.of(dataDir.resolve("kafka")));
                    progress.accept(holders + " holders: " + cast.approvals() + " approvals");
                    approvals = new ApprovalPhase(pipeline, cast).run(Math.max(100, steady.deliveriesPerSec() / 5));
                }
                rss = platform.rssMb();
            }
            // After a clean stop, which flushes every store's memtables: the state as an instance keeps it on disk.
            StateSizes state = StateSizes.of(dataDir, StoreNames.DIRECTORY_STATE);
            // A quick run measures the restart that matters, from a wiped state, and saves the other platform start.
            ScaleRun.Restart kept = options.quick() ? null : restart(dataDir, cast, participants, "state kept");
            wipeProcessorsState(dataDir);
            ScaleRun.Restart wiped = restart(dataDir, cast, participants, "state wiped");
            return new ScaleRun(holders, population, castHolders, cast.consumers(), castSetUp, steady, approvals, rss, state,
                    logPerDelivery, kept, wiped, PlatformIdle.effectivePartitions(cast), cast.streamThreads());
        } finally {
            deleteQuietly(dataDir);
        }
    }

    /** The population of the largest run from the presigned directory, when there is one; else signed as it goes. */
    private PopulationSource source(int holders) throws IOException {
        ScaleOptions.Population wanted = options.population(holders);
        if (options.presigned() != null && holders == options.holders()) {
            return PresignedPopulation.open(options.presigned(), wanted.holders(), wanted.consumers(),
                    wanted.issuers(), wanted.credentials());
        }
        return new PopulationSigner(wanted.holders(), wanted.consumers(), wanted.issuers(), wanted.credentials(),
                System.currentTimeMillis());
    }

    /** Signs the largest run's population into the presigned directory unless it holds it already. */
    void presignIfMissing() throws IOException {
        ScaleOptions.Population wanted = options.population(options.holders());
        try {
            PresignedPopulation.open(options.presigned(), wanted.holders(), wanted.consumers(), wanted.issuers(),
                    wanted.credentials());
            progress.accept("using the population presigned in " + options.presigned());
        } catch (IllegalArgumentException missing) {
            progress.accept("presigning the population into " + options.presigned() + ": " + missing.getMessage());
            double seconds = PresignedPopulation.write(options.presigned(), wanted.holders(), wanted.consumers(),
                    wanted.issuers(), wanted.credentials(), progress);
            progress.accept(String.format("presigned in %.0f s", seconds));
        }
    }

    /**
     * Starts the platform again on {@code dataDir} and sends one request per cast holder (from each requesting
     * consumer): seconds to ready, and from launch to the last answer.
     */
    private ScaleRun.Restart restart(Path dataDir, BenchOptions cast, Participants participants, String what)
            throws Exception {
        progress.accept("restart with the processors' " + what);
        try (PlatformProcess platform = PlatformProcess.start(options.heap(), dataDir, List.of(), false, 1,
                cast.platformSettings());
             Pipeline pipeline = Pipeline.reconnect(platform, participants)) {
            int requests = cast.holders() * cast.consumers();
            SteadyStatePhase.Figures answered = new SteadyStatePhase(pipeline, cast).run(requests, 0);
            progress.accept(String.format("restart with the processors' %s: ready in %.1f s, %d of %d answered "
                    + "%.1f s after", what, platform.startSeconds, answered.delivered(), requests, answered.seconds()));
            return new ScaleRun.Restart(platform.startSeconds, platform.startSeconds + answered.seconds(), requests,
                    answered.delivered());
        }
    }

    /** What an operator's wipe of an instance's state directory removes: every store, every task's checkpoint. */
    private static void wipeProcessorsState(Path dataDir) {
        deleteQuietly(dataDir.resolve("streams"));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is no failure of the benchmark.
        }
    }
}
