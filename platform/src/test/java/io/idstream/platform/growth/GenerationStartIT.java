package io.idstream.platform.growth;

import io.idstream.gateway.GatewayApp;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.HolderChanges;
import io.idstream.platform.Platform;
import io.idstream.platform.Ports;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processors and a gateway started with the settings of generation 0 (as a deployment's files keep them) run in
 * the generation the deployment's generation topic names: its topics, its partition count, and an application id of
 * their own, though the topics that keep their count across generations (the rejected topic, the directories) have
 * another count than the new generation's.
 */
@Timeout(180)
class GenerationStartIT {
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void processorsAndGatewayStartInThePublishedGeneration() throws Exception {
        try (Platform platform = TestPlatforms.start(dir.resolve("data"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers()))) {
            Map<String, Object> configs = new HashMap<>();
            configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
            configs.put(TopicCatalogConfig.TOPIC_PREFIX, "later");
            configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(TopicCatalog.create(configs)
                    .platformTopics());
            new PartitionGrowth(new GrowthSettings(configs, "later-processors", "later-gateway",
                    Duration.ofSeconds(30))).grow(12);

            Map<String, Object> processorSettings = new HashMap<>(configs);
            processorSettings.put(ProcessorsConfig.APPLICATION_ID, "later-processors");
            processorSettings.put(ProcessorsConfig.STATE_DIR, dir.resolve("processors").toString());
            try (ProcessorsApp processors = ProcessorsApp.start(new ProcessorsConfig(processorSettings), READY)) {
                assertThat(taskPartitions(processors.streams())).isEqualTo(partitions(12));
                assertThat(processors.streams().metadataForLocalThreads()).flatExtracting(
                        thread -> thread.activeTasks().stream().flatMap(task -> task.topicPartitions().stream())
                                .map(partition -> partition.topic()).toList())
                        .contains("later.g1.access.requests").doesNotContain("later.access.requests");
            }
            Map<String, Object> gatewaySettings = new HashMap<>(configs);
            gatewaySettings.put(GatewayConfig.APPLICATION_ID, "later-gateway");
            gatewaySettings.put(GatewayConfig.STATE_DIR, dir.resolve("gateway").toString());
            try (GatewayApp gateway = GatewayApp.start(new GatewayConfig(gatewaySettings), Ports.freePort(), HolderChanges.NONE,
                    READY)) {
                assertThat(taskPartitions(gateway.streams())).isEqualTo(partitions(12));
            }
            assertThat(admin.listGroups().all().get())
                    .extracting(listing -> listing.groupId())
                    .contains("later-processors-g1", "later-gateway-g1")
                    .doesNotContain("later-processors", "later-gateway");
        }
    }

    private static Set<Integer> taskPartitions(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .map(task -> task.taskId()).map(TaskId::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> partitions(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toCollection(TreeSet::new));
    }
}
