package io.idstream.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** One run of the {@code idstream} command line in the test's JVM: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = IdstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /**
     * The processors work asynchronously: repeats a read (whose own assertions may fail meanwhile) until it shows
     * what the next step needs, for up to 60 s.
     */
    static String eventually(Supplier<String> call, Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                String out = call.get();
                if (ready.test(out)) {
                    return out;
                }
            } catch (AssertionError e) {
                last = e;
            }
            Thread.sleep(300);
        }
        throw last != null ? last : new AssertionError("not ready within 60 s");
    }
}
