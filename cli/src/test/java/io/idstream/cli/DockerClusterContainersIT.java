package io.idstream.cli;

import com.github.dockerjava.api.DockerClient;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.OperatorKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
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
import static org.awaitility.Awaitility.await;

/**
 * docker/compose.cluster.yaml brought up as operators run it: the demo runs against the three nodes from the host,
 * and again with one node stopped; both processors instances run and Prometheus scrapes both. Skipped, and reported
 * as skipped, where no Docker engine is reachable; without Docker, {@code DockerStackFilesTest} checks the cluster
 * file.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(1200)
class DockerClusterContainersIT {
    static final String HOST_BOOTSTRAP = "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094";
    @TempDir
    static Path dir;
    static ComposeContainer stack;
    static Path operatorKey;

    @BeforeAll
    static void up() {
        operatorKey = dir.resolve("operator.pem");
        SigningKeyPair key = OperatorKey.loadOrCreate(operatorKey);
        // Testcontainers reads a name ending in -<n> as instance n of a service: processors-1's one container is
        // "processors-1-1".
        stack = new ComposeContainer(new File("../docker/compose.cluster.yaml"))
                .withEnv("IDSTREAM_OPERATOR_KEYS", HexFormat.of().formatHex(key.publicKey()))
                .withBuild(true)
                .waitingFor("schema-registry", Wait.forHttp("/subjects").forPort(8081)
                        .withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("processors-1-1", Wait.forHttp("/health").forPort(9400)
                        .withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("processors-2-1", Wait.forHttp("/health").forPort(9400)
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
    void demoRunsAgainstTheClusterAndAgainWithOneNodeStopped() {
        assertThat(demo().out()).contains("Every stage verified");
        DockerClient docker = DockerClientFactory.instance().client();
        ContainerState node = stack.getContainerByServiceName("kafka-2-1").orElseThrow();
        docker.stopContainerCmd(node.getContainerId()).exec();
        try {
            assertThat(demo().out()).as("with kafka-2 stopped").contains("Every stage verified");
        } finally {
            docker.startContainerCmd(node.getContainerId()).exec();
        }
    }

    @Test
    void bothProcessorsRunAndPrometheusScrapesBoth() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String metricsPort : new String[] {"9400", "9401"}) {
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                    assertThat(get(http, "http://127.0.0.1:" + metricsPort + "/health")).contains("RUNNING"));
        }
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(get(http, "http://127.0.0.1:9090/api/v1/targets").split("\"health\":\"up\"", -1))
                        .as("targets up").hasSize(3));
        assertThat(get(http, "http://127.0.0.1:9090/api/v1/targets"))
                .contains("processors-1:9400", "processors-2:9400");
        assertThat(get(http, "http://127.0.0.1:8083/connector-plugins"))
                .contains("io.idstream.connectors.webhook.DeliveryWebhookSinkConnector");
    }

    private static CliRun demo() {
        CliRun demo = CliRun.of("demo", "--bootstrap-servers", HOST_BOOTSTRAP,
                "--schema-registry-url", "http://127.0.0.1:8081", "--gateway-url", "http://127.0.0.1:8090",
                "--operator-key", operatorKey.toString());
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        return demo;
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
