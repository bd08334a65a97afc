package io.idstream.bench.pipeline;

import java.util.List;
import java.util.function.Consumer;

/**
 * Measures the pipeline in one run and only orders its phases: crypto floors ({@link CryptoFloor}) and grant cost
 * against credential size ({@link GrantCosts}) on one core; then the platform in a JVM of its own
 * ({@link PlatformProcess}) under exactly-once, with participants and standing grants set up ({@link Pipeline}); a
 * raw Kafka baseline ({@link RawKafkaBaseline}); the steady state at full speed after a warm-up, then paced at half
 * the measured rate ({@link SteadyStatePhase}); and one-click approvals under a fifth of it ({@link ApprovalPhase}).
 * This JVM generates the load and consumes the deliveries; requests are signed before each timed phase.
 */
public final class PipelineBenchmark {
    private final BenchOptions options;
    private final Consumer<String> progress;

    public PipelineBenchmark(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    private int idleSeconds() {
        return options.quick() ? 2 : 10;
    }

    public BenchResults run() throws Exception {
        if (options.evidence() != null) {
            RunEvidence.prepare(options.evidence());
        }
        progress.accept("crypto floor");
        CryptoFloor.Figures floor = CryptoFloor.measure(options.quick());
        progress.accept("grant cost against credential size");
        GrantCosts.Figures grants = GrantCosts.measure(options.quick());

        progress.accept("starting the platform in its own JVM");
        try (PlatformProcess platform = PlatformProcess.start(options.platformHeap(),
                options.evidence() == null ? null : RunEvidence.platformData(options.evidence()), List.of(), false,
                options.nodes(), options.platformSettings())) {
            progress.accept("platform ready in " + Math.round(platform.startSeconds) + " s; idle for "
                    + idleSeconds() + " s");
            PlatformIdle.Figures idle = PlatformIdle.measure(platform, options, idleSeconds());
            progress.accept("setting up " + options.holders() + " holders, " + options.consumers()
                    + " consumers, " + options.holders() * options.consumers() + " standing grants");
            try (Pipeline pipeline = Pipeline.setUp(platform, options)) {
                if (options.evidence() != null) {
                    RunEvidence.writeConsumerKeys(options.evidence(), pipeline.participants.consumers);
                }
                progress.accept("raw Kafka baseline");
                RawKafkaBaseline.Figures raw = new RawKafkaBaseline(pipeline, options).measure(options.requests());
                SteadyStatePhase steadyState = new SteadyStatePhase(pipeline, options);
                // A cold platform spends much of its CPU compiling (the JIT's threads took 40% of it in an unwarmed
                // run): run the same load once untimed, so that the timed run measures the steady state.
                progress.accept("warm-up: " + options.warmupRequests() + " requests");
                steadyState.run(options.warmupRequests(), 0);
                progress.accept("steady state: " + options.requests() + " requests at full speed");
                SteadyStatePhase.Figures steady = steadyState.run(options.requests(), 0);
                if (options.evidence() != null) {
                    RunEvidence.writeSteadyRequestIds(options.evidence(), steady.requestIds());
                }
                // At full speed the latency is mostly the queue of requests not yet taken; at half the measured rate
                // it is the pipeline's own.
                double pacedRate = steady.deliveriesPerSec() / 2;
                int pacedRequests = (int) (pacedRate * options.pacedSeconds());
                progress.accept("paced: " + pacedRequests + " requests at " + Math.round(pacedRate) + "/s");
                SteadyStatePhase.Figures paced = steadyState.run(pacedRequests, pacedRate);
                progress.accept("one-click approval under load: " + options.approvals() + " approvals");
                ApprovalPhase.Figures approvals = new ApprovalPhase(pipeline, options)
                        .run(Math.max(100, steady.deliveriesPerSec() / 5));
                return new BenchResults(options, floor, grants, raw, steady, pacedRate, paced.latency(), approvals,
                        idle, null);
            }
        }
    }
}
