package io.idstream.cli;

import io.idstream.bench.pipeline.BenchMain;
import io.idstream.bench.pipeline.BenchOptions;
import io.idstream.bench.pipeline.HolderViewsBenchmark;
import io.idstream.bench.pipeline.ScaleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code idstream bench}: the pipeline benchmark and the holder views, each on a platform of its own in a second JVM.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the pipeline on this machine: a platform in a JVM of its own, loaded from this one; "
                + "prints a markdown table and writes it with the JSON results.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A smoke run of under a minute, for CI.")
    boolean quick;

    @Option(names = "--out", paramLabel = "FILE", description = "The JSON results (default: ${DEFAULT-VALUE}); "
            + "the table goes next to it as .md.", defaultValue = "bench/results/latest.json")
    Path out;

    @Option(names = "--evidence", paramLabel = "DIR", description = "Leave in DIR (new or empty) what checks the "
            + "run's deliveries afterwards: the platform's data, the consumers' keys (private) and the ids of the "
            + "timed requests.")
    Path evidence;

    @Option(names = "--flood", paramLabel = "N", arity = "0..1", fallbackValue = "0", description = "Instead: flood "
            + "one holder with N requests of the processors' largest size from one consumer (default 100000, "
            + "--quick 5000) and report the platform's heap, poll interval and rebalances; writes flood.md next to "
            + "--out.")
    Integer flood;

    @Option(names = "--holder-views", description = "Instead: only the holder views, read through the holder "
            + "gateway as a holder reads them: inbox and first audit page p50/p99 on an empty platform and with "
            + "1,000,000 records of other holders in the holder's partitions (--quick 20,000), and a consumer's "
            + "request to the holder's inbox event; writes holder-views.json and .md next to --out.")
    boolean holderViews;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Kafka nodes of the pipeline "
            + "benchmark's platform, 1, 3 or 5 (default: ${DEFAULT-VALUE}); 3 replicates every topic to 3 nodes with 2 "
            + "in sync, for figures next to the single node's. Recorded as 'nodes' in the results.")
    int nodes;

    @Option(names = "--scale", description = "Instead: the scale benchmark. Loads --holders, --consumers, --issuers "
            + "and --credentials onto a platform (pre-signed on every core, in large lz4 batches), then measures "
            + "delivery throughput, approval latency, directory state on disk, RSS, broker disk per holder and the "
            + "processors' restart with their state kept and wiped; first at --baseline-holders with everything else "
            + "the same. Writes scale.json and scale.md (default bench/results/scale.json unless --out).")
    boolean scale;

    @Option(names = "--holders", paramLabel = "N", description = "With --scale: holders (default 1000000; "
            + "--quick 10000).")
    Integer holders;

    @Option(names = "--consumers", paramLabel = "N", description = "With --scale: consumers, each with its "
            + "delivery topic (default 1000; --quick 20).")
    Integer consumers;

    @Option(names = "--issuers", paramLabel = "N", description = "With --scale: accredited issuers (default 100; "
            + "--quick 5).")
    Integer issuers;

    @Option(names = "--credentials", paramLabel = "N", description = "With --scale: credentials, one per holder "
            + "and then a second and third type (default 1000000; --quick 10000).")
    Integer credentials;

    @Option(names = "--baseline-holders", paramLabel = "N", description = "With --scale: first run the same at N "
            + "holders, 0 for none (default 1000; --quick 0).")
    Integer baselineHolders;

    @Option(names = "--presigned", paramLabel = "DIR", description = "With --scale: take the largest run's "
            + "population from DIR, signing it there first when DIR holds none of that size (no private key is "
            + "written).")
    Path presigned;

    @Option(names = "--presign-only", description = "With --scale and --presigned: only sign the population.")
    boolean presignOnly;

    @Option(names = "--load-budget", paramLabel = "SECONDS", defaultValue = "0", description = "With --scale: stop "
            + "loading holders after SECONDS (at a chunk's end) and measure what was loaded, reported as loaded "
            + "(default: no limit).")
    long loadBudget;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Partitions of every "
            + "holder-keyed topic of the benchmark's platform (default: the platform's own); a full run with it skips "
            + "the holder views.")
    int partitions;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "0", description = "The processors' Kafka "
            + "Streams num.stream.threads on the benchmark's platform (default: the processors' own); a full run with it "
            + "skips the holder views.")
    int streamThreads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodes != 1 && nodes != 3 && nodes != 5) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 1, 3 or 5, not " + nodes);
        }
        if (partitions < 0 || streamThreads < 0) {
            throw new ParameterException(spec.commandLine(), "--partitions and --stream-threads must be positive");
        }
        if (scale) {
            return runScale();
        }
        if (holders != null || consumers != null || issuers != null || credentials != null
                || baselineHolders != null || presigned != null || presignOnly || loadBudget != 0) {
            throw new ParameterException(spec.commandLine(), "--holders, --consumers, --issuers, --credentials and "
                    + "--baseline-holders, --presigned, --presign-only and --load-budget go with --scale");
        }
        if (holderViews) {
            return BenchMain.runHolderViews(quick ? HolderViewsBenchmark.Options.quick()
                    : HolderViewsBenchmark.Options.full(), out.resolveSibling(BenchMain.HOLDER_VIEWS_JSON))
                    ? IdstreamCommand.EXIT_OK : IdstreamCommand.EXIT_FAILED;
        }
        if (flood != null) {
            int requests = flood > 0 ? flood : quick ? BenchMain.QUICK_FLOOD_REQUESTS : BenchMain.FLOOD_REQUESTS;
            return BenchMain.runFlood(requests, out.resolveSibling("flood.md")) ? IdstreamCommand.EXIT_OK
                    : IdstreamCommand.EXIT_FAILED;
        }
        BenchOptions options = (quick ? BenchOptions.quick(out) : BenchOptions.full(out)).onNodes(nodes)
                .withProcessors(partitions, streamThreads);
        if (evidence != null) {
            options = options.keepingEvidenceIn(evidence);
        }
        return BenchMain.run(options) ? IdstreamCommand.EXIT_OK : IdstreamCommand.EXIT_FAILED;
    }

    private int runScale() throws Exception {
        Path scaleOut = spec.commandLine().getParseResult().hasMatchedOption("--out") ? out
                : ScaleOptions.DEFAULT_OUT;
        String command = "idstream " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ScaleOptions defaults = quick ? ScaleOptions.quick(scaleOut, command) : ScaleOptions.full(scaleOut, command);
        ScaleOptions options = defaults.withPopulation(orDefault(holders, defaults.holders()),
                orDefault(consumers, defaults.consumers()), orDefault(issuers, defaults.issuers()),
                orDefault(credentials, defaults.credentials()), orDefault(baselineHolders,
                        defaults.baselineHolders())).withProcessors(partitions, streamThreads)
                .withLoading(presigned, loadBudget);
        if (presignOnly && presigned == null) {
            throw new ParameterException(spec.commandLine(), "--presign-only needs --presigned DIR");
        }
        try {
            options.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return BenchMain.runScale(options, presignOnly) ? IdstreamCommand.EXIT_OK : IdstreamCommand.EXIT_FAILED;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
