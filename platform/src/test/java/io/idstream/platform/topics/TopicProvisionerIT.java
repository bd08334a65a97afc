package io.idstream.platform.topics;

import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicDrift;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class TopicProvisionerIT {
    @TempDir
    static Path dataDir;
    static Platform platform;
    static Admin admin;

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        platform.close();
    }

    @Test
    void provisioningTwiceCreatesOnceAndChangesNothing() {
        TopicCatalog catalog = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "twice"));
        TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));

        ProvisioningReport first = provisioner.provision(catalog.platformTopics());
        ProvisioningReport second = provisioner.provision(catalog.platformTopics());

        assertThat(first.created()).contains("twice.access.requests", "twice.audit");
        assertThat(second.created()).isEmpty();
        assertThat(second.drift()).isEmpty();
        assertThat(second.unchanged()).containsExactlyInAnyOrderElementsOf(
                catalog.platformTopics().stream().map(Topic::name).toList());
    }

    @Test
    void driftIsReportedAndLeftAlone() throws Exception {
        TopicCatalog catalog = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "drifted"));
        Topic<?, ?> audit = catalog.audit();
        // Made by hand before provisioning: 2 partitions and compaction, where the catalogue says 6 and delete.
        admin.createTopics(List.of(new NewTopic(audit.name(), 2, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(audit.name(), "alice", "existing data")).get();
        }

        ProvisioningReport report = new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(audit));

        assertThat(report.created()).isEmpty();
        assertThat(report.drift()).extracting(TopicDrift::setting)
                .containsExactlyInAnyOrder("partitions", "cleanup.policy", "retention.ms");
        assertThat(report.drift()).extracting(TopicDrift::describe).contains(
                "topic drifted.audit has partitions=2 but the catalogue says 6",
                "topic drifted.audit has cleanup.policy=compact but the catalogue says delete");
        assertThat(admin.describeTopics(List.of(audit.name())).allTopicNames().get().get(audit.name())
                .partitions()).hasSize(2);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, audit.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value())
                .isEqualTo("compact");
        assertThat(recordCount(audit.name(), 2)).as("records kept").isEqualTo(1);
    }

    private static long recordCount(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }
}
