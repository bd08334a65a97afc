package io.idstream.it.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/confluent_interop.py} under Debian's interpreter (not whatever {@code python3} is first
 * on the PATH): the request as JSON on stdin, the results as one JSON object per line on stdout.
 */
final class PythonClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/confluent_interop.py");

    private PythonClient() {
    }

    /** Why Confluent's Python serdes cannot run here, or empty when they can. */
    static Optional<String> unavailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(PYTHON + " is missing");
        }
        Run probe = run(List.of(PYTHON, "-c", "import confluent_kafka.schema_registry.avro"), "");
        if (probe.exitCode() == 0) {
            return Optional.empty();
        }
        List<String> lines = probe.stderr().strip().lines().toList();
        return Optional.of("Confluent's Python client with its Avro serdes is needed (Debian's python3-confluent-kafka"
                + " and python3-requests, and fastavro, which Debian does not package): "
                + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
    }

    /** Runs one mode of the script with {@code request} on stdin. */
    static Run call(String mode, Object request) throws IOException, InterruptedException {
        return run(List.of(PYTHON, SCRIPT.toString(), mode), JSON.writeValueAsString(request));
    }

    private static Run run(List<String> command, String stdin) throws IOException, InterruptedException {
        // Files, not pipes: the script can never stall on a full buffer, nor the test on a silent script.
        Path in = Files.createTempFile("confluent-interop", ".in");
        Path out = Files.createTempFile("confluent-interop", ".out");
        Path err = Files.createTempFile("confluent-interop", ".err");
        try {
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "\n" + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What the script did: its exit code, its stdout (JSON lines) and its stderr. */
    record Run(int exitCode, String stdout, String stderr) {
        /** The JSON lines of {@code kind}; fails, with stderr, if the script failed. */
        List<JsonNode> lines(String kind) throws IOException {
            if (exitCode != 0) {
                throw new AssertionError("the Python client exited with " + exitCode + ":\n" + stderr + stdout);
            }
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.strip().lines().toList()) {
                JsonNode node = JSON.readTree(line);
                if (node.path("kind").asText().equals(kind)) {
                    lines.add(node);
                }
            }
            return lines;
        }
    }
}
