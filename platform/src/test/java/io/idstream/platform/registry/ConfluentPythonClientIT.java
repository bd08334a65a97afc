package io.idstream.platform.registry;

import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Confluent's own Python client (confluent-kafka 1.7, Debian's {@code python3-confluent-kafka}
 * with {@code python3-requests}) against the
 * embedded registry: register, read, look up, test and set compatibility, soft and permanent deletes, each checked
 * by {@code src/test/python/confluent_client_contract.py}. Debian's interpreter runs it, not whatever
 * {@code python3} is first on the PATH; without the module the test reports itself skipped.
 */
@Timeout(180)
class ConfluentPythonClientIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/confluent_client_contract.py");

    @TempDir
    Path dataDir;

    @Test
    void confluentsPythonClientWorksAgainstTheEmbeddedRegistry() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
        Run probe = run(List.of(PYTHON, "-c", "import confluent_kafka.schema_registry"));
        assumeTrue(probe.exitCode() == 0, () -> "Debian's python3-confluent-kafka and python3-requests are needed"
                + " (.ci/run installs them): " + probe.output().strip());

        try (Platform platform = TestPlatforms.start(dataDir)) {
            Run run = run(List.of(PYTHON, SCRIPT.toString(), platform.schemaRegistryUrl(), "python-client"));

            assertThat(run.output()).as(run.output()).doesNotContain("FAIL").doesNotContain("Traceback")
                    .containsPattern("RESULT: \\d+ passed, 0 failed");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        // A file, not a pipe: the script's output can never fill a buffer and stall it.
        Path log = Files.createTempFile("confluent-python-client", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "\n" + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private record Run(int exitCode, String output) {
    }
}
