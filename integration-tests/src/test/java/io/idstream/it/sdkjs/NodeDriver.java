package io.idstream.it.sdkjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The TypeScript consumer, {@code sdk-js/it/consumer-story.mjs} under Node.js, driven over its stdin and stdout with
 * one JSON object per line: what it printed is kept, in order, for the test to wait on and assert.
 */
final class NodeDriver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The package, beside this module in the reactor; Maven's sdk-js module builds its dist/ first. */
    static final Path SDK_JS = Path.of("..", "sdk-js").toAbsolutePath().normalize();
    private static final Path DRIVER = Path.of("it", "consumer-story.mjs");

    private final Process process;
    private final Writer stdin;
    private final List<JsonNode> printed = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private NodeDriver(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon("stdout", () -> read(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), true));
        daemon("stderr", () -> read(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), false));
    }

    /** Why the TypeScript consumer cannot run here (no Node.js, or the package not built), or empty when it can. */
    static Optional<String> unavailable() throws InterruptedException {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return Optional.of("node --version failed: Node.js 20 or later is needed to run the TypeScript SDK");
            }
        } catch (IOException e) {
            return Optional.of("node not found: Node.js 20 or later is needed to run the TypeScript SDK");
        }
        if (!Files.isRegularFile(SDK_JS.resolve("dist/index.js"))
                || !Files.isDirectory(SDK_JS.resolve("node_modules/kafkajs"))) {
            return Optional.of(SDK_JS.resolve("dist") + " is not built: build it with 'mvn -pl sdk-js compile' "
                    + "(npm ci and tsc)");
        }
        return Optional.empty();
    }

    /** Starts the driver and hands it its configuration, the first line. */
    static NodeDriver start(Map<String, Object> config) throws IOException {
        Process process = new ProcessBuilder("node", DRIVER.toString()).directory(SDK_JS.toFile()).start();
        NodeDriver driver = new NodeDriver(process);
        driver.send(config);
        return driver;
    }

    void send(Map<String, Object> line) throws IOException {
        stdin.write(JSON.writeValueAsString(line) + "\n");
        stdin.flush();
    }

    /** The first line printed that passes {@code wanted}, waiting up to {@code timeout} for it. */
    JsonNode await(String what, Predicate<JsonNode> wanted, Duration timeout) {
        return awaitFrom(0, what, wanted, timeout);
    }

    /** As {@link #await}, among the lines printed from the {@code from}th on: the answers to a command sent then. */
    private JsonNode awaitFrom(int from, String what, Predicate<JsonNode> wanted, Duration timeout) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("the TypeScript consumer exited", () -> !process.isAlive())
                    .until(() -> printed.stream().skip(from).anyMatch(wanted));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the TypeScript consumer " + this, e);
        }
        return printed.stream().skip(from).filter(wanted).findFirst().orElseThrow();
    }

    /** Asks for fields of the holder's newest credential of a type, and returns the request id it printed. */
    String request(String holderId, String credentialType, List<String> fields, String purpose, Duration timeout)
            throws IOException {
        int before = printed.size();
        send(Map.of("command", "request", "holderId", holderId, "credentialType", credentialType, "fields", fields,
                "purpose", purpose));
        JsonNode answer = awaitFrom(before, "the request to " + holderId + " for " + fields,
                line -> line.path("event").asText().equals("requested") || line.path("event").asText().equals("error"),
                timeout);
        if (!answer.path("event").asText().equals("requested")) {
            throw new AssertionError("the TypeScript consumer could not send the request: " + answer);
        }
        return answer.path("requestId").asText();
    }

    /** Hands the driver's {@code WebhookReceiver} a POST as the webhook sink sends it; what it printed of it. */
    JsonNode webhook(String secret, Map<String, String> headers, String body, Duration timeout) throws IOException {
        int before = printed.size();
        send(Map.of("command", "webhook", "secret", secret, "headers", headers, "body", body));
        return awaitFrom(before, "the webhook POST " + headers.get("webhook-id"),
                line -> line.path("event").asText().equals("webhook"), timeout);
    }

    List<JsonNode> printed() {
        return List.copyOf(printed);
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, "ts-consumer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void read(BufferedReader reader, boolean json) {
        try (reader) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (json) {
                    printed.add(JSON.readTree(line));
                } else {
                    stderr.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            stderr.append("(reading the driver's output failed: ").append(e.getMessage()).append(")\n");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send(Map.of("command", "close"));
            stdin.close();
        } catch (IOException e) {
            // It exited already; what it printed says why.
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "printed " + printed + "; stderr: " + stderr;
    }
}
