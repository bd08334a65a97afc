package io.idstream.cli;

import io.idstream.bench.pipeline.BenchMain;
import io.idstream.bench.pipeline.BenchOptions;
import io.idstream.bench.pipeline.HolderViewsBenchmark;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodes != 1 && nodes != 3 && nodes != 5) {
            throw new ParameterException(spec.commandLine(), "--nodes must be 1, 3 or 5, not " + nodes);
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
        BenchOptions options = (quick ? BenchOptions.quick(out) : BenchOptions.full(out)).onNodes(nodes);
        if (evidence != null) {
            options = options.keepingEvidenceIn(evidence);
        }
        return BenchMain.run(options) ? IdstreamCommand.EXIT_OK : IdstreamCommand.EXIT_FAILED;
    }
}
