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
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Provisioning on three nodes whose brokers default to three replicas: with no replication factor configured, the
 * catalogue's topics (the registry's {@code _schemas} among them) and the processors' internal topics get three
 * replicas and min.insync.replicas 2 set on the topic itself; topics made by hand with one replica, or with another
 * min ISR, are reported as drift.
 */
@Timeout(120)
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
        // One partition a topic: the replication of internal topics does not depend on their count, and fewer tasks
        // start sooner.
        Map<String, Object> catalogSettings = Map.of(TopicCatalogConfig.TOPIC_PREFIX, "processed",
                TopicCatalogConfig.PARTITIONS, "1");
        Map<String, Object> settings = new HashMap<>(catalogSettings);
        settings.put(ProcessorsConfig.APPLICATION_ID, "replicated-processors");
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(ProcessorsConfig.STATE_DIR, dataDir.resolve("streams").toString());
        TopicCatalog catalog = TopicCatalog.create(catalogSettings);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(catalog.schemas()));

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(),
                catalog.schemas(), 0, Map.of())) {
            settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            try (ProcessorsApp processors = ProcessorsApp.start(new ProcessorsConfig(settings),
                    Duration.ofSeconds(60))) {
                List<String> internal = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(name -> name.startsWith("replicated-processors-")).toList();

                assertThat(internal).as("changelog and repartition topics")
                        .anyMatch(name -> name.endsWith("-changelog"));
                assertReplicatedOnThree(internal);
            }
        }
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
