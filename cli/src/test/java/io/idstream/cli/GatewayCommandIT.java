package io.idstream.cli;

import io.idstream.platform.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built jar as an operator does, {@code java -jar idstream.jar gateway}, against a running platform: it
 * prints {@code gateway.url=}, serves the holder API there, and stops cleanly on SIGTERM.
 */
@Timeout(240)
class GatewayCommandIT {
    private static final Path JAR = Path.of("target/idstream.jar");

    @TempDir
    static Path dir;
    static Platform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(dir);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theGatewayServesTheHolderApiAndStopsOnSigterm() throws Exception {
        assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
        Path stderr = Files.createTempFile(dir, "idstream-gateway", ".err");
        Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "gateway",
                "--bootstrap-servers", platform.bootstrapServers(),
                "--schema-registry-url", platform.schemaRegistryUrl(), "--port", "0",
                "--state-dir", dir.resolve("gateway-state").toString(),
                "--operator-keys", HexFormat.of().formatHex(platform.operatorKey().publicKey()))
                .redirectError(stderr.toFile()).start();
        try {
            String line = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).as("stdout; stderr: %s", Files.readString(stderr)).startsWith("gateway.url=http://");
            URI url = URI.create(line.substring("gateway.url=".length()));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> openApi = http.send(HttpRequest.newBuilder(url.resolve("/v1/openapi.yaml"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(url.resolve("/v1/holders/alice/inbox"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(openApi.statusCode()).isEqualTo(200);
            assertThat(openApi.body()).startsWith("openapi: 3.1");
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(unsigned.body()).contains("\"missing-signature\"");
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        }
        assertThat(Files.readString(stderr).lines().filter(l -> l.startsWith("idstream gateway: ")).toList())
                .isEqualTo(List.of("idstream gateway: up; Ctrl-C to stop", "idstream gateway: stopped"));
    }
}
