package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees for each command line: exit code, stdout, and one line on stderr when it goes wrong. */
class IdstreamCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpListsThePlatformCommand() {
        Result result = run("--help");
        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("platform").contains("Usage: idstream");
        assertThat(result.err).isEmpty();
    }

    @Test
    void platformHelpListsItsOptions() {
        Result result = run("platform", "--help");
        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("--data-dir", "--kafka-port", "--registry-port", "./.idstream/data");
    }

    @Test
    void noCommandIsAUsageError() {
        Result result = run();
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("a command is required");
    }

    @Test
    void malformedPortIsAUsageErrorOnOneLine() {
        Result result = run("platform", "--kafka-port", "abc");
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream platform: ").contains("--kafka-port").contains("'abc'");
        assertThat(result.out).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result result = run("platform", "--bogus");
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("--bogus");
    }

    @Test
    void portInUseFailsWithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run("platform", "--data-dir", dir.resolve("data").toString(),
                    "--kafka-port", Integer.toString(taken.getLocalPort()));
            assertThat(result.exitCode).isEqualTo(1);
            assertThat(result.errLines()).containsExactly("idstream platform: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use (--kafka-port)");
            assertThat(result.out).isEmpty();
        }
    }

    @Test
    void unusableDataDirFailsWithOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Result result = run("platform", "--data-dir", file.resolve("data").toString(), "--kafka-port", "0");
        assertThat(result.exitCode).as("port 0 is out of range for the Kafka listener").isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("--kafka-port");

        result = run("platform", "--data-dir", file.resolve("data").toString());
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream platform: data dir ").contains("cannot be created");
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = IdstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
        java.util.List<String> errLines() {
            return err.lines().toList();
        }
    }
}
