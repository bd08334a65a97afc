package io.idstream.platform.growth;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicGeneration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A platform restarted on a data dir it grew comes back in the new generation, not in the one it was made with, and
 * does not make again the old generation's topics an operator deleted.
 */
@Timeout(180)
class GrownPlatformRestartIT {
    @TempDir
    Path dataDir;

    @Test
    void aGrownPlatformRestartsInItsNewGenerationWithoutMakingTheOldOneAgain() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dataDir));
        settings.put(PlatformConfig.PROCESSORS_ENABLED, true);
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freePort());
        List<String> oldTopics;
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            oldTopics = platform.catalog().generationTopics().stream().map(Topic::name).toList();
            platform.growPartitions(12);
            // The old generation is fenced and unused: an operator may delete it.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    platform.bootstrapServers()))) {
                admin.deleteTopics(oldTopics).all().get();
                await("the old generation's topics deleted").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(oldTopics));
            }
        }

        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    platform.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).as("topics after the restart")
                        .doesNotContainAnyElementsOf(oldTopics).contains("idstream.g1.directory");
            }
            assertThat(platform.catalog().generation()).isEqualTo(new TopicGeneration(1, 12));
            assertThat(platform.catalog().holderInbox().name()).isEqualTo("idstream.g1.holder.inbox");
            Set<Integer> taskPartitions = platform.processors().streams().metadataForLocalThreads().stream()
                    .map(ThreadMetadata::activeTasks).flatMap(Set::stream).map(task -> task.taskId())
                    .map(TaskId::partition).collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> partitions = IntStream.range(0, 12).boxed().collect(Collectors.toCollection(TreeSet::new));
            assertThat(taskPartitions).isEqualTo(partitions);
        }
    }
}
