package io.idstream.bench.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the pipeline benchmark: {@code [--quick|--full] [--out FILE] [--evidence DIR]}, or the flood benchmark:
 * {@code --flood [N]} (N requests, 100,000 by default; {@code --quick} 5,000). Progress goes to stderr, the markdown
 * table to stdout and next to the JSON ({@code latest.md}); the flood's table to stdout and {@code flood.md}.
 */
public final class BenchMain {
    public static final Path DEFAULT_OUT = Path.of("bench", "results", "latest.json");
    public static final int FLOOD_REQUESTS = 100_000;
    public static final int QUICK_FLOOD_REQUESTS = 5_000;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = DEFAULT_OUT;
        Path evidence = null;
        Integer flood = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--flood" -> {
                    flood = 0;
                    if (i + 1 < args.length && args[i + 1].matches("[0-9]+")) {
                        flood = Integer.parseInt(args[++i]);
                    }
                }
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
        BenchOptions options = quick ? BenchOptions.quick(out) : BenchOptions.full(out);
        System.exit(run(evidence == null ? options : options.keepingEvidenceIn(evidence)) ? 0 : 1);
    }

    /** Runs, writes the results, prints the table; false when a delivery or approval failed verification. */
    public static boolean run(BenchOptions options) throws Exception {
        long started = System.nanoTime();
        BenchResults results = new PipelineBenchmark(options, step -> {
            System.err.printf("idstream bench: %s (%.0f s)%n", step, (System.nanoTime() - started) / 1e9);
            System.err.flush();
        }).run();
        results.write(options.out());
        String table = results.markdown();
        Path markdown = options.out().resolveSibling(options.out().getFileName().toString()
                .replaceFirst("\\.json$", "") + ".md");
        Files.writeString(markdown, table);
        System.out.print(table);
        System.out.flush();
        System.err.printf("idstream bench: done in %.0f s; wrote %s and %s%n", (System.nanoTime() - started) / 1e9,
                options.out(), markdown);
        return results.allVerified();
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
                + " (usage: idstream bench [--quick] [--out FILE] [--evidence DIR] | [--quick] --flood [N])");
        System.exit(2);
    }
}
