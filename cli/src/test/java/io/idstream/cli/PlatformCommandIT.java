package io.idstream.cli;

import io.idstream.platform.Ports;
import io.idstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built jar as a user does, {@code java -jar idstream.jar platform}, in a process of its own: it prints
 * the client settings, serves a Confluent-API client and the holder gateway, stops cleanly on SIGTERM, keeps schema
 * ids across a restart, and keeps a second platform off its data dir. One test, since each platform start is most of
 * its time: the restarted platform is the one a second is refused beside.
 */
@Timeout(240)
class PlatformCommandIT {
    private static final Path JAR = Path.of("target/idstream.jar");

    @TempDir
    Path dataDir;

    @Test
    void platformServesStopsOnSigtermKeepsSchemaIdsAcrossRestartAndRefusesASecondPlatformOnItsDataDir()
            throws Exception {
        assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
        int kafkaPort = Ports.freePort();
        int registryPort = Ports.freePort();
        Schema schema = SchemaBuilder.record("Onboarding").namespace("io.idstream.test").fields()
                .requiredString("holder").endRecord();

        int id;
        try (RunningPlatform platform = RunningPlatform.start(dataDir, kafkaPort, registryPort)) {
            assertThat(platform.settings).containsEntry("bootstrap.servers", "127.0.0.1:" + kafkaPort)
                    .containsEntry("schema.registry.url", "http://127.0.0.1:" + registryPort)
                    .containsEntry("kafka.nodes", "1").containsEntry("kafka.node.1", "127.0.0.1:" + kafkaPort)
                    .containsEntry("replication.factor", "1").containsEntry("min.insync.replicas", "1");
            SchemaRegistryClient client = new SchemaRegistryClient(platform.settings.get("schema.registry.url"));
            id = client.register("onboarding-value", schema);
            assertThat(client.schemaById(id)).isEqualTo(schema);
            URI gateway = URI.create(platform.settings.get("gateway.url"));
            assertThat(gateway.getHost()).isEqualTo("127.0.0.1");
            HttpResponse<String> openApi = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    gateway.resolve("/v1/openapi.yaml")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(openApi.statusCode()).as("the gateway's OpenAPI document").isEqualTo(200);

            ProcessResult stopped = platform.stop();
            assertThat(stopped.stderr).contains("idstream platform: stopped").doesNotContain("Exception")
                    .contains("idstream platform: data is not replicated (one Kafka node)");
        }

        try (RunningPlatform platform = RunningPlatform.start(dataDir, kafkaPort, registryPort)) {
            SchemaRegistryClient client = new SchemaRegistryClient(platform.settings.get("schema.registry.url"));
            assertThat(client.version("onboarding-value", "latest").id()).isEqualTo(id);
            assertThat(client.register("onboarding-value", schema)).isEqualTo(id);

            // A second platform on the same data dir, on ports of its own, while this one runs.
            assertThat(platform.process.isAlive()).isTrue();
            Process second = new ProcessBuilder(command(dataDir, Ports.freePort(), Ports.freePort())).start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(stderr.lines().toList()).containsExactly("idstream platform: data dir "
                    + dataDir.toAbsolutePath().normalize() + " is in use by another idstream platform");
        }
    }

    static List<String> command(Path dataDir, int kafkaPort, int registryPort) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "platform", "--data-dir", dataDir.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--registry-port", Integer.toString(registryPort),
                "--gateway-port", "0");
    }

    record ProcessResult(int exitCode, String stderr) {
    }

    /** A platform process, started and read until it has printed its settings. */
    static final class RunningPlatform implements AutoCloseable {
        final Process process;
        final Map<String, String> settings = new HashMap<>();
        final Path stderrFile;

        private RunningPlatform(Process process, Path stderrFile) {
            this.process = process;
            this.stderrFile = stderrFile;
        }

        static RunningPlatform start(Path dataDir, int kafkaPort, int registryPort) throws IOException {
            Path stderr = Files.createTempFile("idstream-platform", ".err");
            Process process = new ProcessBuilder(command(dataDir, kafkaPort, registryPort))
                    .redirectError(stderr.toFile()).start();
            RunningPlatform platform = new RunningPlatform(process, stderr);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            while (!platform.settings.containsKey("gateway.url")) {
                String line = out.readLine();
                if (line == null) {
                    throw new AssertionError("platform exited before printing its settings: "
                            + Files.readString(stderr));
                }
                int eq = line.indexOf('=');
                platform.settings.put(line.substring(0, eq), line.substring(eq + 1));
            }
            return platform;
        }

        /** Sends SIGTERM and waits for the process to end. */
        ProcessResult stop() throws IOException {
            process.destroy();
            boolean ended;
            try {
                ended = process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while waiting for the platform to stop", e);
            }
            assertThat(ended).as("stopped within 60 s of SIGTERM").isTrue();
            return new ProcessResult(process.exitValue(), Files.readString(stderrFile));
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                stop();
            }
            Files.deleteIfExists(stderrFile);
        }
    }
}
