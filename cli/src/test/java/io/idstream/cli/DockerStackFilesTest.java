package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.gateway.GatewayConfig;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker/ without Docker: every service of both compose files (one node, and the replicated cluster), every
 * image, build, file, port, volume and setting they reference exists in the project and agrees with the rest of it
 * (Kafka's version and config keys, the processors' and the gateway's config keys, the variables their entrypoints
 * read, the metrics ports Prometheus scrapes, the Connect workers' config and plugin path), and the cluster file is
 * one three-node quorum that replicates every topic three times and takes a write once two replicas have it.
 */
class DockerStackFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCKER = ROOT.resolve("docker");
    static final String SINGLE = "compose.yaml";
    static final String CLUSTER = "compose.cluster.yaml";
    static final List<String> NODES = List.of("kafka-1", "kafka-2", "kafka-3");
    static final List<String> PROCESSORS = List.of("processors-1", "processors-2");
    static final Pattern VARIABLE = Pattern.compile("\\$\\{(IDSTREAM_[A-Z_]+)");
    /** An entrypoint's line written only when its variable is set: {@code if [ -n "${V:-}" ]; then echo "k=${V}"}. */
    static final Pattern APPENDED_SETTING = Pattern.compile(
            "if \\[ -n \"\\$\\{(IDSTREAM_[A-Z_]+):-}\" ]; then\\n\\s+echo \"([^\"]+)\" >> \"\\$config\"");
    static JsonNode compose;
    static JsonNode cluster;
    static String kafkaVersion;

    @BeforeAll
    static void read() throws IOException {
        compose = composeFile(SINGLE);
        cluster = composeFile(CLUSTER);
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
    void theClusterHasThreeKafkaNodesTwoProcessorsAndEveryOtherPart() {
        assertThat(names(cluster.path("services"))).containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3",
                "schema-registry", "processors-1", "processors-2", "gateway", "connect", "prometheus");
        for (String node : NODES) {
            assertThat(service(cluster, node).path("image").asText()).as(node)
                    .isEqualTo("apache/kafka:" + kafkaVersion);
        }
        assertThat(service(cluster, "schema-registry").path("image").asText())
                .isEqualTo(service(compose, "schema-registry").path("image").asText());
        for (String instance : PROCESSORS) {
            assertThat(service(cluster, instance).path("build")).as(instance)
                    .isEqualTo(service(compose, "processors").path("build"));
        }
        for (String reused : List.of("gateway", "connect")) {
            assertThat(service(cluster, reused).path("build")).as(reused)
                    .isEqualTo(service(compose, reused).path("build"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void everyBuildAndEveryCopiedFileExists(String file) throws IOException {
        JsonNode stack = composeFile(file);
        for (String service : names(stack.path("services"))) {
            JsonNode build = service(stack, service).path("build");
            if (build.isMissingNode()) {
                assertThat(service(stack, service).path("image").asText()).as(service).isNotBlank();
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

    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void publishedPortsAreLoopbackOnlyAndDistinct(String file) throws IOException {
        JsonNode stack = composeFile(file);
        List<String> hostPorts = new ArrayList<>();
        for (String service : names(stack.path("services"))) {
            for (JsonNode port : service(stack, service).path("ports")) {
                assertThat(port.asText()).as(service).startsWith("127.0.0.1:");
                hostPorts.add(port.asText().split(":")[1]);
            }
        }
        assertThat(hostPorts).doesNotHaveDuplicates().contains("9092", "8081", "8083", "8090", "9090", "9400");
    }

    /**
     * A file mounted from docker/ exists; a named volume is declared, and mounted by one service alone, so that no two
     * Kafka nodes and no two processors instances share a disk; each Kafka node writes its log into its volume.
     */
    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void everyMountExistsAndEveryVolumeIsOneServicesOwn(String file) throws IOException {
        JsonNode stack = composeFile(file);
        Map<String, String> ownerOfVolume = new HashMap<>();
        for (String service : names(stack.path("services"))) {
            for (JsonNode mount : service(stack, service).path("volumes")) {
                String[] parts = mount.asText().split(":");
                if (parts[0].startsWith(".")) {
                    assertThat(DOCKER.resolve(parts[0]).normalize()).as(service + " mounts " + parts[0])
                            .isRegularFile();
                    continue;
                }
                assertThat(names(stack.path("volumes"))).as(service + "'s volume is declared").contains(parts[0]);
                String previous = ownerOfVolume.put(parts[0], service);
                assertThat(previous).as("volume " + parts[0] + " of " + service + " is also mounted by").isNull();
            }
        }
        for (String service : names(stack.path("services"))) {
            JsonNode logDirs = service(stack, service).at("/environment/KAFKA_LOG_DIRS");
            if (service(stack, service).path("image").asText().startsWith("apache/kafka:")) {
                assertThat(volumeMountedAt(stack, service, logDirs.asText())).as(service + " log.dirs in a volume")
                        .isNotNull();
            }
        }
        if (file.equals(CLUSTER)) {
            assertThat(ownerOfVolume).containsValues("kafka-1", "kafka-2", "kafka-3", "processors-1",
                    "processors-2");
        }
    }

    @Test
    void theClusterNodesAreOneQuorumOfCombinedNodes() {
        Set<String> clusterIds = new HashSet<>();
        List<String> voters = new ArrayList<>();
        List<String> expectedVoters = new ArrayList<>();
        for (String node : NODES) {
            Map<String, String> broker = brokerSettings(node);
            assertThat(broker.get("process.roles")).as(node).isEqualTo("broker,controller");
            clusterIds.add(service(cluster, node).at("/environment/CLUSTER_ID").asText());
            voters.add(broker.get("controller.quorum.voters"));
            expectedVoters.add(broker.get("node.id") + "@" + node + ":" + listenerPort(broker.get("listeners"),
                    broker.get("controller.listener.names")));
            String internal = broker.get("inter.broker.listener.name");
            assertThat(broker.get("advertised.listeners")).as(node)
                    .contains(internal + "://" + node + ":" + listenerPort(broker.get("listeners"), internal));
            String hostPort = service(cluster, node).at("/ports/0").asText().split(":")[1];
            assertThat(broker.get("advertised.listeners")).as(node).contains("HOST://127.0.0.1:" + hostPort);
            assertThat(listenerPort(broker.get("listeners"), "HOST")).as(node).isEqualTo(hostPort);
            assertThat(service(cluster, node).at("/healthcheck/test/1").asText()).as(node + " checks itself")
                    .contains("--bootstrap-server " + internalAddress(node));
        }
        assertThat(NODES.stream().map(node -> brokerSettings(node).get("node.id"))).doesNotHaveDuplicates();
        assertThat(clusterIds).as("one cluster id").hasSize(1);
        assertThat(Uuid.fromString(clusterIds.iterator().next())).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(voters).as("every node names the same static voters").containsOnly(String.join(",",
                expectedVoters));
    }

    @Test
    void theClusterBrokersHaveOnlyKnownSettings() {
        Set<String> known = AbstractKafkaConfig.CONFIG_DEF.names();
        for (String node : NODES) {
            assertThat(known).as(node).containsAll(brokerSettings(node).keySet());
        }
    }

    @Test
    void everyClusterTopicHasThreeReplicasAndTakesAWriteOnTwo() throws IOException {
        for (String node : NODES) {
            assertThat(brokerSettings(node)).as(node)
                    .containsEntry("default.replication.factor", "3")
                    .containsEntry("min.insync.replicas", "2")
                    .containsEntry("offsets.topic.replication.factor", "3")
                    .containsEntry("transaction.state.log.replication.factor", "3")
                    .containsEntry("transaction.state.log.min.isr", "2")
                    .containsEntry("share.coordinator.state.topic.replication.factor", "3")
                    .containsEntry("share.coordinator.state.topic.min.isr", "2")
                    .containsEntry("auto.create.topics.enable", "false");
        }
        assertThat(service(cluster, "schema-registry")
                .at("/environment/SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR").asText())
                .as("replication factor of the registry's _schemas").isEqualTo("3");
        for (String app : List.of("processors-1", "processors-2", "gateway")) {
            Properties settings = entrypointSettings(app, service(cluster, app).path("environment"));
            assertThat(settings.getProperty(TopicCatalogConfig.REPLICATION_FACTOR)).as(app).isEqualTo("3");
        }
        Properties worker = properties(mountedSource(cluster, "connect"));
        for (String topic : List.of("config", "offset", "status")) {
            assertThat(worker.getProperty(topic + ".storage.replication.factor")).as(topic).isEqualTo("3");
        }
    }

    @Test
    void everyClusterClientBootstrapsFromAllThreeNodes() throws IOException {
        String[] nodes = NODES.stream().map(DockerStackFilesTest::internalAddress).toArray(String[]::new);
        for (String app : List.of("processors-1", "processors-2", "gateway")) {
            assertThat(service(cluster, app).at("/environment/IDSTREAM_BOOTSTRAP_SERVERS").asText().split(","))
                    .as(app).containsExactlyInAnyOrder(nodes);
        }
        assertThat(service(cluster, "schema-registry")
                .at("/environment/SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText()
                .replace("PLAINTEXT://", "").split(",")).as("schema-registry").containsExactlyInAnyOrder(nodes);
        assertThat(properties(mountedSource(cluster, "connect")).getProperty("bootstrap.servers").split(","))
                .as("connect").containsExactlyInAnyOrder(nodes);
    }

    @Test
    void twoProcessorsInstancesRunOneApplicationEachWithAStandbyOfTheOther() throws IOException {
        JsonNode first = service(cluster, "processors-1");
        JsonNode second = service(cluster, "processors-2");
        assertThat(first.path("environment")).as("one application, the same settings")
                .isEqualTo(second.path("environment"));
        assertThat(first.path("volumes")).isNotEqualTo(second.path("volumes"));
        Properties settings = entrypointSettings("processors-1", first.path("environment"));
        assertThat(settings.getProperty(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).as("num.standby.replicas")
                .isEqualTo("1");
        assertThat(settings.getProperty(ProcessorsConfig.STATE_DIR)).as("state in the instance's volume")
                .startsWith(first.at("/volumes/0").asText().split(":")[1] + "/");
        JsonNode prometheus = yaml(mountedSource(cluster, "prometheus"));
        String metricsPort = settings.getProperty(ProcessorsConfig.METRICS_PORT);
        List<String> targets = new ArrayList<>();
        prometheus.at("/scrape_configs/0/static_configs/0/targets").forEach(target -> targets.add(target.asText()));
        assertThat(targets).as("Prometheus scrapes")
                .containsExactlyInAnyOrder("processors-1:" + metricsPort, "processors-2:" + metricsPort);
        for (String instance : PROCESSORS) {
            assertThat(service(cluster, instance).at("/ports/0").asText()).as(instance)
                    .endsWith(":" + metricsPort);
        }
    }

    /** Each stack runs one gateway: a standby of its stores has no other instance to live on, as on the platform. */
    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void theLoneGatewayKeepsNoStandby(String file) throws IOException {
        JsonNode stack = composeFile(file);
        assertThat(names(stack.path("services"))).as("gateway instances").containsOnlyOnce("gateway")
                .noneMatch(service -> service.startsWith("gateway-"));
        Properties settings = entrypointSettings("gateway", service(stack, "gateway").path("environment"));
        assertThat(settings.getProperty(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).as("num.standby.replicas")
                .isEqualTo("0");
    }

    /** A variable a service sets that its entrypoint never reads would be a setting silently not applied. */
    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void everyVariableAServiceSetsIsReadByItsEntrypoint(String file) throws IOException {
        JsonNode stack = composeFile(file);
        for (String service : names(stack.path("services"))) {
            Path entrypoint = entrypointOf(stack, service);
            if (entrypoint == null) {
                continue;
            }
            Set<String> read = new HashSet<>();
            Matcher variable = VARIABLE.matcher(Files.readString(entrypoint));
            while (variable.find()) {
                read.add(variable.group(1));
            }
            assertThat(read).as(service + " reads").containsAll(names(service(stack, service).path("environment")));
        }
    }

    @Test
    void gatewaySettingsAreKnownKeysAndItsPortIsPublishedUnderAnAuthorityItServes() throws IOException {
        String entrypoint = Files.readString(DOCKER.resolve("gateway/entrypoint.sh"));
        Properties properties = entrypointSettings("gateway", service(cluster, "gateway").path("environment"));
        assertThat(GatewayConfig.DEFINITION.names()).containsAll(properties.stringPropertyNames());
        for (JsonNode stack : List.of(compose, cluster)) {
            for (String variable : List.of("IDSTREAM_BOOTSTRAP_SERVERS", "IDSTREAM_SCHEMA_REGISTRY_URL",
                    "IDSTREAM_OPERATOR_KEYS")) {
                assertThat(stack.at("/services/gateway/environment/" + variable).isMissingNode())
                        .as(variable).isFalse();
            }
            String port = properties.getProperty(GatewayConfig.PORT);
            String published = stack.at("/services/gateway/ports/0").asText();
            assertThat(published).isEqualTo("127.0.0.1:" + port + ":" + port);
            // Holders on the host sign 127.0.0.1:<port>, which the gateway in its container must serve.
            assertThat(properties.getProperty(GatewayConfig.PUBLIC_AUTHORITIES)).contains("127.0.0.1:" + port);
        }
        assertThat(entrypoint).contains("-jar /opt/idstream/idstream.jar gateway --config");
    }

    @Test
    void processorsSettingsAreKnownKeysAndPrometheusScrapesTheirPort() throws IOException {
        Properties properties = entrypointSettings("processors-1",
                service(cluster, "processors-1").path("environment"));
        Set<String> known = new HashSet<>(ProcessorsConfig.DEFINITION.names());
        known.addAll(StreamsConfig.configDef().names());
        assertThat(known).containsAll(properties.stringPropertyNames());
        for (String variable : List.of("IDSTREAM_BOOTSTRAP_SERVERS", "IDSTREAM_SCHEMA_REGISTRY_URL",
                "IDSTREAM_OPERATOR_KEYS")) {
            assertThat(compose.at("/services/processors/environment/" + variable).isMissingNode())
                    .as(variable).isFalse();
        }
        String metricsPort = properties.getProperty(ProcessorsConfig.METRICS_PORT);
        assertThat(compose.at("/services/processors/ports/0").asText()).endsWith(":" + metricsPort);
        JsonNode prometheus = yaml(mountedSource(compose, "prometheus"));
        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
                .isEqualTo("processors:" + metricsPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {SINGLE, CLUSTER})
    void connectWorkerConfigIsValidAndFindsThePlugin(String file) throws IOException {
        JsonNode stack = composeFile(file);
        Path workerFile = DOCKER.resolve("connect/connect-distributed.properties");
        Path mounted = mountedSource(stack, "connect");
        if (mounted != null) {
            workerFile = mounted;
            assertThat(Files.readString(DOCKER.resolve("connect/Dockerfile")))
                    .as("the image runs the worker config the stack mounts")
                    .contains("\"" + service(stack, "connect").at("/volumes/0").asText().split(":")[1] + "\"");
        }
        Properties worker = properties(workerFile);
        Map<String, String> settings = new HashMap<>();
        worker.stringPropertyNames().forEach(key -> settings.put(key, worker.getProperty(key)));
        DistributedConfig config = new DistributedConfig(settings);
        assertThat(config.getList("plugin.path")).containsExactly("/opt/idstream/connect-plugins");
        assertThat(Files.readString(DOCKER.resolve("connect/Dockerfile")))
                .contains("COPY connectors/target/plugin/ /opt/idstream/connect-plugins/");
        assertThat(service(stack, "connect").at("/ports/0").asText()).endsWith(":" + settings.get("listeners")
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

    /** A compose file as Docker Compose reads it: SnakeYAML resolves the {@code <<} merge keys that Jackson keeps. */
    private static JsonNode composeFile(String name) throws IOException {
        return yaml(DOCKER.resolve(name));
    }

    private static JsonNode yaml(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            Object document = new Yaml().load(in);
            return new ObjectMapper().valueToTree(document);
        }
    }

    private static JsonNode service(JsonNode stack, String name) {
        return stack.path("services").path(name);
    }

    /** A Kafka node's server settings, as the apache/kafka image derives them from its KAFKA_ variables. */
    private static Map<String, String> brokerSettings(String node) {
        Map<String, String> settings = new HashMap<>();
        JsonNode environment = service(cluster, node).path("environment");
        for (String variable : names(environment)) {
            if (variable.startsWith("KAFKA_")) {
                settings.put(variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        environment.path(variable).asText());
            }
        }
        return settings;
    }

    private static String listenerPort(String listeners, String name) {
        return Arrays.stream(listeners.split(",")).filter(listener -> listener.startsWith(name + "://"))
                .map(listener -> listener.replaceAll(".*:", "")).findFirst().orElse("none");
    }

    private static String internalAddress(String node) {
        Map<String, String> broker = brokerSettings(node);
        return node + ":" + listenerPort(broker.get("listeners"), broker.get("inter.broker.listener.name"));
    }

    private static String volumeMountedAt(JsonNode stack, String service, String target) {
        for (JsonNode mount : service(stack, service).path("volumes")) {
            String[] parts = mount.asText().split(":");
            if (!parts[0].startsWith(".") && parts[1].equals(target)) {
                return parts[0];
            }
        }
        return null;
    }

    /** The docker/ file a service mounts, or null when it mounts none. */
    private static Path mountedSource(JsonNode stack, String service) {
        for (JsonNode mount : service(stack, service).path("volumes")) {
            String source = mount.asText().split(":")[0];
            if (source.startsWith(".")) {
                return DOCKER.resolve(source).normalize();
            }
        }
        return null;
    }

    /** The entrypoint script next to a service's Dockerfile, or null for an image run as published. */
    private static Path entrypointOf(JsonNode stack, String service) {
        JsonNode dockerfile = service(stack, service).at("/build/dockerfile");
        if (dockerfile.isMissingNode()) {
            return null;
        }
        Path script = ROOT.resolve(dockerfile.asText()).resolveSibling("entrypoint.sh");
        return Files.exists(script) ? script : null;
    }

    /**
     * The properties an entrypoint writes for a service's environment: the lines of its here-document, and each line
     * it appends for a variable the service sets. Values keep their {@code ${…}} references, except that a variable
     * the service sets is replaced by its value.
     */
    private static Properties entrypointSettings(String service, JsonNode environment) throws IOException {
        String entrypoint = Files.readString(entrypointOf(cluster, service));
        Matcher heredoc = Pattern.compile("<<PROPERTIES\\n(.*?)\\nPROPERTIES", Pattern.DOTALL).matcher(entrypoint);
        assertThat(heredoc.find()).as(service + " writes its properties").isTrue();
        StringBuilder lines = new StringBuilder(heredoc.group(1)).append('\n');
        Matcher appended = APPENDED_SETTING.matcher(entrypoint);
        while (appended.find()) {
            if (environment.has(appended.group(1))) {
                lines.append(appended.group(2)).append('\n');
            }
        }
        String written = lines.toString();
        for (String variable : names(environment)) {
            written = written.replace("${" + variable + "}", environment.path(variable).asText());
        }
        Properties properties = new Properties();
        properties.load(new StringReader(written));
        return properties;
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
