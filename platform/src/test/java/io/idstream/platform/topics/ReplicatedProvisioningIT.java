package io.idstream.platform.topics;

import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.registry.EmbeddedSchemaRegistry;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.Replication;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicDrift;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Provisioning on three nodes whose brokers default to three replicas: with no replication factor configured, the
 * catalogue's topics (the registry's {@code _schemas} among them) and the processors' internal topics get three
 * replicas and min.insync.replicas 2 set on the topic itself; topics made by hand with one replica, or with another
 * min ISR, are reported as drift, by the provisioner and, for delivery and internal topics, by the processors' start;
 * a factor of 1 under the brokers' min ISR of 2 is refused, and a refused start leaves no Admin client behind; with
 * a node stopped, the topics it replicated are reported under-replicated.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedProvisioningIT {
    @TempDir
    static Path dataDir;
    static EmbeddedKafkaCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() {
        cluster = EmbeddedKafkaCluster.start(dataDir.resolve("kafka"), KafkaClusterLayout.consecutive(3, 0), null);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void byDefaultTopicsGetThreeReplicasAndAMinIsrOfTwo() throws Exception {
        TopicCatalog catalog = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "replicated"));

        ProvisioningReport report = new TopicProvisioner(admin, Duration.ofSeconds(30))
                .provision(catalog.platformTopics());

        assertThat(report.replication()).isEqualTo(new Replication((short) 3, 2));
        assertThat(report.created()).contains(TopicCatalog.SCHEMAS_TOPIC, "replicated.audit");
        assertReplicatedOnThree(report.created());
    }

    @Test
    void aTopicWithOneReplicaOrAnotherMinIsrIsDrift() throws Exception {
        TopicCatalog catalog = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "underreplicated"));
        Topic<?, ?> audit = catalog.audit();
        Topic<?, ?> decisions = catalog.accessDecisions();
        // Made before provisioning as the catalogue says, but for one replica, and for a min ISR of 1 on three.
        admin.createTopics(List.of(new NewTopic(audit.name(), audit.partitions(), (short) 1).configs(audit.configs()),
                new NewTopic(decisions.name(), decisions.partitions(), (short) 3).configs(withMinIsr(decisions, "1"))))
                .all().get(30, TimeUnit.SECONDS);

        ProvisioningReport report = new TopicProvisioner(admin, Duration.ofSeconds(30))
                .provision(List.of(audit, decisions));

        assertThat(report.created()).isEmpty();
        assertThat(report.drift()).containsExactlyInAnyOrder(
                new TopicDrift(audit.name(), "replication.factor", "3", "1"),
                new TopicDrift(decisions.name(), "min.insync.replicas", "2", "1"));
        assertThat(partitions(audit.name())).as("left as it was").allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
    }

    @Test
    void theProcessorsInternalTopicsGetThreeReplicasAndAMinIsrOfTwo() throws Exception {
        Map<String, Object> settings = processorsSettings("replicated-processors");
        TopicCatalog catalog = TopicCatalog.create(settings);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(catalog.schemas()));
        // Made before the processors start, as by an earlier release or by hand: one replica, or a min ISR of 1.
        String legacyDeliveries = catalog.deliveries("legacy-exchange").name();
        String retiredChangelog = "replicated-processors-retired-store-changelog";
        admin.createTopics(List.of(new NewTopic(legacyDeliveries, 1, (short) 1),
                new NewTopic(retiredChangelog, 1, (short) 3).configs(Map.of("min.insync.replicas", "1"))))
                .all().get(30, TimeUnit.SECONDS);

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(),
                catalog.schemas(), 0, Map.of())) {
            settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            ProcessorsApp processors = ProcessorsApp.start(new ProcessorsConfig(settings), Duration.ofSeconds(60));
            try {
                List<String> internal = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(name -> name.startsWith("replicated-processors-") && !name.equals(retiredChangelog))
                        .toList();

                assertThat(internal).as("changelog and repartition topics")
                        .anyMatch(name -> name.endsWith("-changelog"));
                assertReplicatedOnThree(internal);
                assertThat(processors.replicationDrift()).as("drift of the topics the catalogue does not list")
                        .containsExactlyInAnyOrder(new TopicDrift(legacyDeliveries, "replication.factor", "3", "1"),
                                new TopicDrift(retiredChangelog, "min.insync.replicas", "2", "1"));
            } finally {
                processors.close();
            }
        }
    }

    @Test
    void aFactorBelowTheBrokersMinIsrIsRefusedAndTheFailedStartLeavesNoAdminClient() {
        Map<String, Object> settings = processorsSettings("refused-processors");
        settings.put(TopicCatalogConfig.REPLICATION_FACTOR, "1");
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
        Set<String> adminThreadsBefore = adminClientThreads();

        assertThatThrownBy(() -> ProcessorsApp.start(new ProcessorsConfig(settings), Duration.ofSeconds(60)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TopicCatalogConfig.REPLICATION_FACTOR)
                .hasMessageContaining("the factor 1 is below the brokers' min.insync.replicas 2");
        assertThat(adminClientThreads()).as("Admin client threads after the refused start")
                .isEqualTo(adminThreadsBefore);
    }

    @Test
    void aStartRefusedForItsAcksLeavesNoAdminClient() {
        Map<String, Object> settings = processorsSettings("acks-processors");
        settings.put("acks", "1");
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
        Set<String> adminThreadsBefore = adminClientThreads();

        assertThatThrownBy(() -> ProcessorsApp.start(new ProcessorsConfig(settings), Duration.ofSeconds(60)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acks");
        assertThat(adminClientThreads()).as("Admin client threads after the refused start")
                .isEqualTo(adminThreadsBefore);
    }

    /**
     * Stops node 3 for good: it runs last, and the cluster closes after it, since starting the node again would cost
     * the run about nine seconds.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aTopicWithABrokerAwayIsReportedUnderReplicated() throws Exception {
        Topic<?, ?> audit = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "isr")).audit();
        TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
        provisioner.provision(List.of(audit));
        partitions(audit.name());

        cluster.stopNode(3);
        // The nodes left learn from the controller that node 3 is out of every in-sync replica set.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeTopics(
                List.of(audit.name())).allTopicNames().get(10, TimeUnit.SECONDS).get(audit.name()).partitions()
                .stream().allMatch(p -> p.isr().size() == 2));
        ProvisioningReport report = provisioner.provision(List.of(audit));

        assertThat(report.drift()).containsExactly(new TopicDrift(audit.name(), "in-sync replicas", "3", "2"));
    }

    /**
     * The processors on the three nodes under one application id. One partition a topic, shared by every test here
     * (provisioning is idempotent): the replication of topics does not depend on their count, and fewer tasks start
     * sooner.
     */
    private static Map<String, Object> processorsSettings(String applicationId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TopicCatalogConfig.TOPIC_PREFIX, "processed");
        settings.put(TopicCatalogConfig.PARTITIONS, "1");
        settings.put(ProcessorsConfig.APPLICATION_ID, applicationId);
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(ProcessorsConfig.STATE_DIR, dataDir.resolve("streams").resolve(applicationId).toString());
        return settings;
    }

    /** The network threads of the Admin clients alive in this JVM, one per open client. */
    private static Set<String> adminClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("kafka-admin-client-thread")).collect(Collectors.toSet());
    }

    /** Three replicas of every partition, and min.insync.replicas 2 set on the topic, not inherited from a broker. */
    private static void assertReplicatedOnThree(Collection<String> topics) throws Exception {
        for (String topic : topics) {
            assertThat(partitions(topic)).as(topic).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry minIsr = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                    .get(resource).get("min.insync.replicas");
            assertThat(minIsr.value()).as(topic).isEqualTo("2");
            assertThat(minIsr.source()).as(topic + " sets its own min ISR")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    private static List<TopicPartitionInfo> partitions(String topic) {
        // A new topic reaches every node's metadata shortly after its creation returns.
        TopicDescription description = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic), described -> described.partitions().stream().allMatch(p -> p.leader() != null));
        return description.partitions();
    }

    private static Map<String, String> withMinIsr(Topic<?, ?> topic, String minIsr) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.put("min.insync.replicas", minIsr);
        return configs;
    }
}
