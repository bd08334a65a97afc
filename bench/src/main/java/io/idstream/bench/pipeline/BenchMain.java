package io.idstream.bench.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the pipeline benchmark: {@code [--quick|--full] [--out FILE] [--evidence DIR]}. Progress goes to stderr, the
 * markdown table to stdout and next to the JSON ({@code latest.md}).
 */
public final class BenchMain {
    public static final Path DEFAULT_OUT = Path.of("bench", "results", "latest.json");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = DEFAULT_OUT;
        Path evidence = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
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

    private static void usage(String problem) {
        System.err.println("idstream bench: " + problem
                + " (usage: idstream bench [--quick] [--out FILE] [--evidence DIR])");
        System.exit(2);
    }
}
