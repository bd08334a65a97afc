package io.idstream.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idstream.processors.StoreNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The scale benchmark's results: {@code scale.json} with the command line that made them and one object per run,
 * and {@code scale.md}, a table with a column per run and, when there is a baseline, the last run against it. Written
 * again after every run, so that a long run's baseline survives it.
 */
final class ScaleReport {
    static final double TARGET_THROUGHPUT_VS_BASELINE = 0.9;
    static final double TARGET_APPROVAL_P99_VS_BASELINE = 1.2;
    /** The processors' global store of issuers and consumers, as {@link StateSizes} names a global store. */
    private static final String GLOBAL_DIRECTORY = StateSizes.GLOBAL_TASK + ":" + StoreNames.DIRECTORY_GLOBAL;

    private final ScaleOptions options;
    private final String startedAt = Instant.now().toString();
    private final List<ScaleRun> runs = new ArrayList<>();

    ScaleReport(ScaleOptions options) {
        this.options = options;
    }

    void add(ScaleRun run) {
        runs.add(run);
    }

    List<ScaleRun> runs() {
        return runs;
    }

    /** Writes the JSON to {@code options.out()} and the table next to it; returns the table. */
    String write() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", options.commandLine());
        json.put("started_at", startedAt);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("load_average_at_start", loadAverage());
        json.put("runs", runs.stream().map(ScaleRun::asMap).toList());
        Path out = options.out();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json) + "\n");
        String table = markdown();
        Files.writeString(out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md"),
                table);
        return table;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("`").append(options.commandLine()).append("` (").append(startedAt).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average at start ")
                .append(loadAverage()).append(")\n\n| measure |");
        runs.forEach(run -> md.append(' ').append(String.format(Locale.ROOT, "%,d holders", run.holders()))
                .append(" |"));
        boolean compared = runs.size() > 1;
        md.append(compared ? " last / first |\n| --- |" : "\n| --- |").append(" --- |".repeat(runs.size()))
                .append(compared ? " --- |\n" : "\n");
        row(md, "loaded: holders / consumers / issuers / credentials", r -> String.format(Locale.ROOT,
                "%,d / %,d / %,d / %,d", r.population().holders() + r.castHolders(), r.population().consumers()
                        + r.castConsumers(), r.population().issuers() + 1,
                r.population().credentials() + r.castHolders()), null);
        row(md, "load time; records/s (signing included unless presigned)", r -> f("%.0f s; %.0f",
                r.population().seconds(), r.population().recordsPerSec()), null);
        row(md, "partitions / stream threads", r -> r.partitions() + " / " + (r.streamThreads() > 0
                ? Integer.toString(r.streamThreads()) : "default"), null);
        row(md, "verified deliveries/s", r -> f("%.0f", r.steady().deliveriesPerSec()),
                r -> r.steady().deliveriesPerSec());
        row(md, "platform CPU per delivery", r -> f("%.0f µs", r.steady().cpuUsPerDelivery()),
                r -> r.steady().cpuUsPerDelivery());
        row(md, "approval → verified delivery p50 / p99", r -> f("%.1f / %.1f ms", r.approvals().latency().p50Ms(),
                r.approvals().latency().p99Ms()), r -> r.approvals().latency().p99Ms());
        row(md, "directory-state on disk (all tasks); per task max / min", r -> f("%s; %s / %s",
                mb(r.state().store("directory-state")), mb(r.state().maxPerTask()), mb(r.state().minPerTask())),
                r -> (double) r.state().store("directory-state"));
        row(md, "global directory store on disk", r -> mb(r.state().store(GLOBAL_DIRECTORY)),
                r -> (double) r.state().store(GLOBAL_DIRECTORY));
        row(md, "platform RSS after the measures; peak in steady state", r -> f("%.0f MB; %.0f MB", r.rssMb(),
                r.steady().peakRssMb()), ScaleRun::rssMb);
        row(md, "broker disk; per holder", r -> f("%s; %.0f B", mb(r.state().kafkaBytes()),
                r.brokerBytesPerHolder()), ScaleRun::brokerBytesPerHolder);
        row(md, "broker log bytes per delivery (all topics; audit), before replication", r -> f("%.0f B; %.0f B",
                r.logBytesPerDelivery(null), r.logBytesPerDelivery("audit")), r -> r.logBytesPerDelivery(null));
        row(md, "restart, state kept: ready; every cast holder answered", r -> restart(r.keptRestart()),
                r -> r.keptRestart() == null ? Double.NaN : r.keptRestart().answeredSeconds());
        row(md, "restart, state wiped: ready; every cast holder answered", r -> restart(r.wipedRestart()),
                r -> r.wipedRestart().answeredSeconds());
        if (compared) {
            ScaleRun first = runs.get(0);
            ScaleRun last = runs.get(runs.size() - 1);
            double throughput = last.steady().deliveriesPerSec() / first.steady().deliveriesPerSec();
            double p99 = last.approvals().latency().p99Ms() / first.approvals().latency().p99Ms();
            md.append(f("\nThroughput %.2f× the baseline's (target ≥ %.1f×: %s); approval p99 %.2f× (target ≤ %.1f×: "
                    + "%s).\n", throughput, TARGET_THROUGHPUT_VS_BASELINE, throughput >= TARGET_THROUGHPUT_VS_BASELINE
                    ? "met" : "missed", p99, TARGET_APPROVAL_P99_VS_BASELINE, p99 <= TARGET_APPROVAL_P99_VS_BASELINE
                    ? "met" : "missed"));
        }
        return md.toString();
    }

    private void row(StringBuilder md, String measure, Function<ScaleRun, String> value,
                     Function<ScaleRun, Double> compared) {
        md.append("| ").append(measure).append(" |");
        runs.forEach(run -> md.append(' ').append(value.apply(run)).append(" |"));
        if (runs.size() > 1) {
            md.append(' ');
            if (compared != null) {
                md.append(f("%.2f×", compared.apply(runs.get(runs.size() - 1)) / compared.apply(runs.get(0))));
            }
            md.append(" |");
        }
        md.append('\n');
    }

    private static String restart(ScaleRun.Restart restart) {
        if (restart == null) {
            return "not measured in a quick run";
        }
        return f("%.1f s; %.1f s (%d of %d)", restart.readySeconds(), restart.answeredSeconds(), restart.answered(),
                restart.requests());
    }

    private static String mb(long bytes) {
        return f("%.1f MB", bytes / 1e6);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
