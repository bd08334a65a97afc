package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.idstream.gateway.GatewayConfig;
import io.idstream.processors.ProcessorsConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker/ without Docker: every service of the compose file, every image, build, file, port and setting it
 * references exists in the project and agrees with the rest of it (Kafka's version, the processors' config keys,
 * the metrics port Prometheus scrapes, the Connect worker's config and plugin path).
 */
class DockerStackFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCKER = ROOT.resolve("docker");
    static JsonNode compose;
    static String kafkaVersion;

    @BeforeAll
    static void read() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile());
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        kafkaVersion = version.group(1);
    }

    @Test
    void theStackHasEveryPart() {
        assertThat(names(compose.path("services"))).containsExactlyInAnyOrder("kafka", "schema-registry",
                "processors", "gateway", "connect", "prometheus");
        assertThat(compose.at("/services/kafka/image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(compose.at("/services/schema-registry/image").asText())
                .startsWith("confluentinc/cp-schema-registry:");
        assertThat(compose.at("/services/prometheus/image").asText()).startsWith("prom/prometheus:");
    }

    @Test
    void everyBuildAndEveryCopiedFileExists() throws IOException {
        for (String service : names(compose.path("services"))) {
            JsonNode build = compose.path("services").path(service).path("build");
            if (build.isMissingNode()) {
                assertThat(compose.path("services").path(service).path("image").asText()).as(service)
                        .isNotBlank();
                continue;
            }
            Path context = DOCKER.resolve(build.path("context").asText()).normalize();
            Path dockerfile = context.resolve(build.path("dockerfile").asText());
            assertThat(context).as(service + " context").isEqualTo(ROOT);
            assertThat(dockerfile).as(service + " Dockerfile").isRegularFile();
            for (String line : Files.readAllLines(dockerfile)) {
                if (line.startsWith("FROM apache/kafka:")) {
                    assertThat(line).isEqualTo("FROM apache/kafka:" + kafkaVersion);
                }
                if (line.startsWith("COPY ")) {
                    String source = line.split("\\s+")[1];
                    assertThat(builtOrPresent(source)).as(service + ": " + line).isTrue();
                    assertThat(Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                            .filter(rule -> rule.startsWith("!")).map(rule -> rule.substring(1)))
                            .as("the build context lets " + source + " in").anyMatch(source::startsWith);
                }
            }
        }
    }

    @Test
    void publishedPortsAreLoopbackOnlyAndDistinct() {
        List<String> hostPorts = new ArrayList<>();
        for (String service : names(compose.path("services"))) {
            for (JsonNode port : compose.path("services").path(service).path("ports")) {
                assertThat(port.asText()).as(service).startsWith("127.0.0.1:");
                hostPorts.add(port.asText().split(":")[1]);
            }
        }
        assertThat(hostPorts).doesNotHaveDuplicates().contains("9092", "8081", "8083", "8090", "9090", "9400");
    }

    @Test
    void gatewaySettingsAreKnownKeysAndItsPortIsPublishedUnderAnAuthorityItServes() throws IOException {
        String entrypoint = Files.readString(DOCKER.resolve("gateway/entrypoint.sh"));
        Matcher heredoc = Pattern.compile("<<PROPERTIES\\n(.*?)\\nPROPERTIES", Pattern.DOTALL).matcher(entrypoint);
        assertThat(heredoc.find()).isTrue();
        Properties properties = new Properties();
        properties.load(new StringReader(heredoc.group(1)));
        assertThat(GatewayConfig.DEFINITION.names()).containsAll(properties.stringPropertyNames());
        for (String variable : List.of("IDSTREAM_BOOTSTRAP_SERVERS", "IDSTREAM_SCHEMA_REGISTRY_URL",
                "IDSTREAM_OPERATOR_KEYS")) {
            assertThat(compose.at("/services/gateway/environment/" + variable).isMissingNode())
                    .as(variable).isFalse();
        }
        String port = properties.getProperty(GatewayConfig.PORT);
        String published = compose.at("/services/gateway/ports/0").asText();
        assertThat(published).isEqualTo("127.0.0.1:" + port + ":" + port);
        // Holders on the host sign 127.0.0.1:<port>, which the gateway in its container must serve.
        assertThat(properties.getProperty(GatewayConfig.PUBLIC_AUTHORITIES)).contains("127.0.0.1:" + port);
        assertThat(entrypoint).contains("-jar /opt/idstream/idstream.jar gateway --config");
    }

    @Test
    void processorsSettingsAreKnownKeysAndPrometheusScrapesTheirPort() throws IOException {
        String entrypoint = Files.readString(DOCKER.resolve("processors/entrypoint.sh"));
        Matcher heredoc = Pattern.compile("<<PROPERTIES\\n(.*?)\\nPROPERTIES", Pattern.DOTALL).matcher(entrypoint);
        assertThat(heredoc.find()).isTrue();
        Properties properties = new Properties();
        properties.load(new StringReader(heredoc.group(1)));
        assertThat(ProcessorsConfig.DEFINITION.names()).containsAll(properties.stringPropertyNames());
        for (String variable : List.of("IDSTREAM_BOOTSTRAP_SERVERS", "IDSTREAM_SCHEMA_REGISTRY_URL",
                "IDSTREAM_OPERATOR_KEYS")) {
            assertThat(compose.at("/services/processors/environment/" + variable).isMissingNode())
                    .as(variable).isFalse();
        }
        String metricsPort = properties.getProperty(ProcessorsConfig.METRICS_PORT);
        assertThat(compose.at("/services/processors/ports/0").asText()).endsWith(":" + metricsPort);
        JsonNode prometheus = new ObjectMapper(new YAMLFactory())
                .readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
                .isEqualTo("processors:" + metricsPort);
        String mount = compose.at("/services/prometheus/volumes/0").asText();
        assertThat(DOCKER.resolve(mount.split(":")[0]).normalize()).isRegularFile();
    }

    @Test
    void connectWorkerConfigIsValidAndFindsThePlugin() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newInputStream(DOCKER.resolve("connect/connect-distributed.properties"))) {
            worker.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        worker.stringPropertyNames().forEach(key -> settings.put(key, worker.getProperty(key)));
        DistributedConfig config = new DistributedConfig(settings);
        assertThat(config.getList("plugin.path")).containsExactly("/opt/idstream/connect-plugins");
        assertThat(Files.readString(DOCKER.resolve("connect/Dockerfile")))
                .contains("COPY connectors/target/plugin/ /opt/idstream/connect-plugins/");
        assertThat(compose.at("/services/connect/ports/0").asText()).endsWith(":" + settings.get("listeners")
                .replaceAll(".*:", ""));
    }

    /**
     * A Dockerfile's COPY source: a file of the repository, or a Maven output. The connectors module is built before
     * this one, so its plugin directory is there; this module's own jar is named by its shade configuration.
     */
    private static boolean builtOrPresent(String source) throws IOException {
        if (source.equals("cli/target/idstream.jar")) {
            return Files.readString(ROOT.resolve("cli/pom.xml")).contains("<finalName>idstream</finalName>");
        }
        Path path = ROOT.resolve(source);
        if (source.equals("connectors/target/plugin/")) {
            return Files.isDirectory(path.resolve("idstream-webhook-sink"))
                    && Files.list(path.resolve("idstream-webhook-sink"))
                    .anyMatch(jar -> jar.getFileName().toString().startsWith("idstream-connectors-"));
        }
        return Files.exists(path);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
