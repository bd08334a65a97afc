package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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
        CliRun result = CliRun.of("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("platform").contains("Usage: idstream");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void platformHelpListsItsOptions() {
        CliRun result = CliRun.of("platform", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--data-dir", "--kafka-port", "--registry-port", "./.idstream/data");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun result = CliRun.of();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("a command is required");
    }

    @Test
    void malformedPortIsAUsageErrorOnOneLine() {
        CliRun result = CliRun.of("platform", "--kafka-port", "abc");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream platform: ").contains("--kafka-port").contains("'abc'");
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "4", "6", "x"})
    void nodesOtherThanOneThreeOrFiveIsAUsageErrorOnOneLine(String nodes) throws IOException {
        // (the Kafka port is taken, so that a --nodes let through fails at once instead of starting a platform)
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun result = CliRun.of("platform", "--data-dir", dir.resolve("data").toString(), "--nodes", nodes,
                    "--kafka-port", Integer.toString(taken.getLocalPort()));
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).singleElement().asString()
                    .startsWith("idstream platform: ").contains("--nodes").contains(nodes);
            assertThat(result.out()).isEmpty();
        }
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "4", "6"})
    void benchNodesOtherThanOneThreeOrFiveIsAUsageErrorOnOneLine(String nodes) {
        CliRun result = CliRun.of("bench", "--quick", "--nodes", nodes, "--out", dir.resolve("out.json").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .isEqualTo("idstream bench: --nodes must be 1, 3 or 5, not " + nodes + " (see 'idstream bench --help')");
        assertThat(dir.resolve("out.json")).doesNotExist();
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun result = CliRun.of("platform", "--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("--bogus");
    }

    @Test
    void portInUseFailsWithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun result = CliRun.of("platform", "--data-dir", dir.resolve("data").toString(),
                    "--kafka-port", Integer.toString(taken.getLocalPort()));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).containsExactly("idstream platform: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use (--kafka-port)");
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void unusableDataDirFailsWithOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun result = CliRun.of("platform", "--data-dir", file.resolve("data").toString(), "--kafka-port", "0");
        assertThat(result.exitCode()).as("port 0 is out of range for the Kafka listener").isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("--kafka-port");

        result = CliRun.of("platform", "--data-dir", file.resolve("data").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream platform: data dir ").contains("cannot be created");
    }
}
