package io.idstream.cli;

import io.idstream.platform.Platform;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** One run of the {@code idstream} command line in the test's JVM: its arguments, exit code and what it printed. */
record CliRun(List<String> args, int exitCode, String out, String err) {
    static CliRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = IdstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args.toArray(String[]::new));
        return new CliRun(List.copyOf(args), exitCode, out.toString(), err.toString());
    }

    static CliRun of(String... args) {
        return of(List.of(args));
    }

    /** The commands a holder runs, which reach the platform through its holder gateway, not Kafka. */
    static final Set<String> HOLDER_COMMANDS = Set.of("inbox", "approve", "deny", "revoke", "erase", "audit",
            "wallet", "issuers", "allow-issuer", "disallow-issuer", "export");

    /**
     * A client command against {@code platform} with the keys in {@code keys}: its operator's public key (unless the
     * arguments name other keys), which consumers and holders pin, and where to reach it are added to {@code args}:
     * for a holder's command (and {@code identity create --role holder}) its gateway, for the others its bootstrap
     * servers (unless the arguments name others) and its registry.
     */
    static CliRun onPlatform(Platform platform, String keys, List<String> args) {
        List<String> all = new ArrayList<>(args);
        boolean holder = HOLDER_COMMANDS.contains(args.get(0)) || args.get(0).equals("identity")
                && (args.containsAll(List.of("--role", "holder")) || Set.of("backup", "recover").contains(args.get(1)));
        if (!all.contains("--operator-keys")) {
            all.addAll(List.of("--operator-keys", HexFormat.of().formatHex(platform.operatorKey().publicKey())));
        }
        if (holder) {
            if (!all.contains("--gateway-url")) {
                all.addAll(List.of("--gateway-url", platform.gatewayUrl().toString()));
            }
            all.addAll(List.of("--keys", keys));
            return of(all);
        }
        if (!all.contains("--bootstrap-servers")) {
            all.addAll(List.of("--bootstrap-servers", platform.bootstrapServers()));
        }
        all.addAll(List.of("--schema-registry-url", platform.schemaRegistryUrl(), "--keys", keys));
        return of(all);
    }

    /** What the run printed, stripped, once it is asserted to have exited 0. */
    String ok() {
        assertThat(exitCode).as("exit code of %s; stderr: %s", args, err).isZero();
        return out.strip();
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
