package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vectors the Java tests check are the ones the independent Python implementation writes today: running it again
 * gives {@code vectors/protocol-v1.json} byte for byte, so a change to the protocol made in Java alone, with the file
 * edited by hand to match, fails here. Skipped, and said so, where Debian's python3-cryptography and python3-argon2
 * are missing ({@code .ci/run} installs them).
 */
class PythonVectorsAreCurrentTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/protocol_v1_vectors.py");
    private static final Path VECTORS = Path.of("src/test/resources/vectors/protocol-v1.json");

    @Test
    void thePythonImplementationWritesTheVectorsTheJavaTestsCheck() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + ": the Python vectors are not run again");
        assumeTrue(run(PYTHON.toString(), "-c", "import cryptography, argon2").exitCode() == 0,
                "Debian's python3-cryptography and python3-argon2 are missing: the Python vectors are not run again");

        Result written = run(PYTHON.toString(), SCRIPT.toString());

        assertThat(written.exitCode()).as(written.stderr()).isZero();
        assertThat(written.stdout()).as("the vectors %s, written again by %s", VECTORS, SCRIPT)
                .isEqualTo(Files.readString(VECTORS, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vectors", ".out");
        Path err = Files.createTempFile("vectors", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
