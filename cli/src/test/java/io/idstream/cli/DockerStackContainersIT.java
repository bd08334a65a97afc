package io.idstream.cli;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.OperatorKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/compose.yaml brought up as operators run it (images built from this build's artifacts), and the demo run
 * against it from the host. Skipped, and reported as skipped, where no Docker engine is reachable; without Docker,
 * {@code DockerStackFilesTest} checks the stack's files and {@code DemoCommandIT} runs the same demo against the
 * embedded platform.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(900)
class DockerStackContainersIT {
    @TempDir
    static Path dir;
    static ComposeContainer stack;
    static Path operatorKey;

    @BeforeAll
    static void up() {
        operatorKey = dir.resolve("operator.pem");
        SigningKeyPair key = OperatorKey.loadOrCreate(operatorKey);
        stack = new ComposeContainer(new File("../docker/compose.yaml"))
                .withEnv("IDSTREAM_OPERATOR_KEYS", HexFormat.of().formatHex(key.publicKey()))
                .withBuild(true)
                .waitingFor("schema-registry", Wait.forHttp("/subjects").forPort(8081)
                        .withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("processors", Wait.forHttp("/health").forPort(9400)
                        .withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("gateway", Wait.forHttp("/v1/openapi.yaml").forPort(8090)
                        .withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("connect", Wait.forHttp("/connectors").forPort(8083)
                        .withStartupTimeout(Duration.ofMinutes(5)));
        stack.start();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void demoRunsAgainstTheStack() {
        CliRun demo = CliRun.of("demo", "--bootstrap-servers", "127.0.0.1:9092",
                "--schema-registry-url", "http://127.0.0.1:8081", "--gateway-url", "http://127.0.0.1:8090",
                "--operator-key", operatorKey.toString());
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("Every stage verified");
    }

    @Test
    void connectHasTheWebhookSinkAndPrometheusScrapesTheProcessors() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, "http://127.0.0.1:8083/connector-plugins"))
                .contains("io.idstream.connectors.webhook.DeliveryWebhookSinkConnector");
        assertThat(get(http, "http://127.0.0.1:9400/metrics")).contains("idstream_processors_");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String targets = "";
        while (System.nanoTime() < deadline && !targets.contains("\"health\":\"up\"")) {
            targets = get(http, "http://127.0.0.1:9090/api/v1/targets");
            Thread.sleep(1000);
        }
        assertThat(targets).contains("processors:9400", "\"health\":\"up\"");
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
