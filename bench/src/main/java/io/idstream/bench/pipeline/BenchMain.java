package io.idstream.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the pipeline benchmark and, in a full run, the holder views: {@code [--quick|--full] [--out FILE]
 * [--evidence DIR]}; the holder views alone: {@code --holder-views} (with {@code --quick}, 20,000 other holders'
 * records instead of 1,000,000); or the flood benchmark: {@code --flood [N]} (N requests, 100,000 by default;
 * {@code --quick} 5,000). Progress goes to stderr, the markdown table to stdout and next to the JSON
 * ({@code latest.md}); the holder views' alone to {@code holder-views.json} and {@code .md} next to {@code --out};
 * the flood's table to stdout and {@code flood.md}; or the scale benchmark: {@code --scale} ({@link ScaleOptions#full},
 * with {@code --quick} a 10,000-holder smoke run), its results in {@code scale.json} and {@code .md}.
 */
public final class BenchMain {
    public static final Path DEFAULT_OUT = Path.of("bench", "results", "latest.json");
    public static final int FLOOD_REQUESTS = 100_000;
    public static final int QUICK_FLOOD_REQUESTS = 5_000;
    public static final String HOLDER_VIEWS_JSON = "holder-views.json";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = DEFAULT_OUT;
        Path evidence = null;
        Integer flood = null;
        boolean holderViews = false;
        boolean scale = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flood" -> {
                    flood = 0;
                    if (i + 1 < args.length && args[i + 1].matches("[0-9]+")) {
                        flood = Integer.parseInt(args[++i]);
                    }
                }
                case "--holder-views" -> holderViews = true;
                case "--scale" -> scale = true;
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--out" -> {
                    if (i + 1 == args.length) {
                        usage("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                }
                case "--evidence" -> {
                    if (i + 1 == args.length) {
                        usage("--evidence needs a directory");
                    }
                    evidence = Path.of(args[++i]);
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (flood != null) {
            int requests = flood > 0 ? flood : quick ? QUICK_FLOOD_REQUESTS : FLOOD_REQUESTS;
            System.exit(runFlood(requests, out.resolveSibling("flood.md")) ? 0 : 1);
        }
        if (scale) {
            String command = "idstream bench " + String.join(" ", args);
            Path scaleOut = out.equals(DEFAULT_OUT) ? ScaleOptions.DEFAULT_OUT : out;
            System.exit(runScale(quick ? ScaleOptions.quick(scaleOut, command) : ScaleOptions.full(scaleOut, command),
                    false) ? 0 : 1);
        }
        if (holderViews) {
            System.exit(runHolderViews(quick ? HolderViewsBenchmark.Options.quick()
                    : HolderViewsBenchmark.Options.full(), out.resolveSibling(HOLDER_VIEWS_JSON)) ? 0 : 1);
        }
        BenchOptions options = quick ? BenchOptions.quick(out) : BenchOptions.full(out);
        System.exit(run(evidence == null ? options : options.keepingEvidenceIn(evidence)) ? 0 : 1);
    }

    /**
     * Runs, writes the results, prints the table; false when a delivery or approval failed verification. A full run
     * measures the holder views too, on a platform of their own after the pipeline's.
     */
    public static boolean run(BenchOptions options) throws Exception {
        long started = System.nanoTime();
        Consumer<String> progress = step -> {
            System.err.printf("idstream bench: %s (%.0f s)%n", step, (System.nanoTime() - started) / 1e9);
            System.err.flush();
        };
        BenchResults results = new PipelineBenchmark(options, progress).run();
        // A run on other partitions or stream threads compares the pipeline; the holder views measure the gateway.
        if (!options.quick() && options.platformSettings().isEmpty()) {
            results = results.withHolderViews(new HolderViewsBenchmark(HolderViewsBenchmark.Options.full(),
                    progress).run());
        }
        results.write(options.out());
        String table = results.markdown();
        Path markdown = markdownNextTo(options.out());
        Files.writeString(markdown, table);
        System.out.print(table);
        System.out.flush();
        System.err.printf("idstream bench: done in %.0f s; wrote %s and %s%n", (System.nanoTime() - started) / 1e9,
                options.out(), markdown);
        return results.allVerified();
    }

    /**
     * Runs the scale benchmark: the baseline first when there is one, then the full population; writes the results
     * after each run and prints the table; false when a run left a request unanswered or a delivery unverified.
     * With {@code presignOnly}, only signs the population into {@code options.presigned()}.
     */
    public static boolean runScale(ScaleOptions options, boolean presignOnly) throws Exception {
        options.validate();
        long started = System.nanoTime();
        Consumer<String> progress = step -> {
            System.err.printf("idstream bench --scale: %s (%.0f s)%n", step, (System.nanoTime() - started) / 1e9);
            System.err.flush();
        };
        ScaleReport report = new ScaleReport(options);
        ScaleBenchmark benchmark = new ScaleBenchmark(options, progress);
        if (options.presigned() != null) {
            benchmark.presignIfMissing();
            if (presignOnly) {
                return true;
            }
        }
        if (options.baselineHolders() > 0) {
            report.add(benchmark.run(options.baselineHolders()));
            report.write();
        }
        report.add(benchmark.run(options.holders()));
        String table = report.write();
        System.out.print(table);
        System.out.flush();
        System.err.printf("idstream bench --scale: done in %.0f s; wrote %s%n", (System.nanoTime() - started) / 1e9,
                options.out());
        return report.runs().stream().allMatch(ScaleRun::allAnswered);
    }

    /**
     * Runs the holder views alone, writes their JSON to {@code out} and their table next to it, prints the table;
     * false when a target was missed.
     */
    public static boolean runHolderViews(HolderViewsBenchmark.Options options, Path out) throws Exception {
        long started = System.nanoTime();
        HolderViewsFigures figures = new HolderViewsBenchmark(options, step -> {
            System.err.printf("idstream bench --holder-views: %s (%.0f s)%n", step,
                    (System.nanoTime() - started) / 1e9);
            System.err.flush();
        }).run();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", options.otherRecords() == HolderViewsBenchmark.Options.full().otherRecords() ? "full"
                : "quick");
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.putAll(figures.asMap());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json) + "\n");
        String table = figures.markdown();
        Path markdown = markdownNextTo(out);
        Files.writeString(markdown, table);
        System.out.print(table);
        System.out.flush();
        System.err.printf("idstream bench --holder-views: done in %.0f s; wrote %s and %s%n",
                (System.nanoTime() - started) / 1e9, out, markdown);
        return figures.targetsMet();
    }

    private static Path markdownNextTo(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
    }

    /**
     * Runs the flood benchmark against a platform with a 1 GB heap, writes its table to {@code markdown} and prints
     * it; false when the processors did not catch up with the flood or the grant.
     */
    public static boolean runFlood(int requests, Path markdown) throws Exception {
        long started = System.nanoTime();
        FloodFigures figures = new FloodBenchmark(requests, "1g", Duration.ofMinutes(20), step -> {
            System.err.printf("idstream bench --flood: %s (%.0f s)%n", step, (System.nanoTime() - started) / 1e9);
            System.err.flush();
        }).run();
        String table = figures.markdown();
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, table);
        System.out.print(table);
        System.out.flush();
        return figures.caughtUp() && figures.grantTaken();
    }

    private static void usage(String problem) {
        System.err.println("idstream bench: " + problem
                + " (usage: idstream bench [--quick] [--out FILE] [--evidence DIR] | [--quick] --holder-views "
                + "[--out FILE] | [--quick] --flood [N] | [--quick] --scale [--out FILE])");
        System.exit(2);
    }
}
