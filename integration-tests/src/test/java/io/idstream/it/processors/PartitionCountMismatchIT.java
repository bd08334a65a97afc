package io.idstream.it.processors;

import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The processors refuse every record that is not in its key's partition of {@code idstream.topic.partitions}. Started
 * with a count the cluster's topics do not have, they would refuse every genuine record as wrong-partition; they
 * refuse to start instead, naming the setting and the topics.
 */
@Timeout(120)
class PartitionCountMismatchIT {
    @TempDir
    Path dir;

    @Test
    void processorsConfiguredForAnotherPartitionCountThanTheClustersRefuseToStart() {
        try (Platform platform = TestPlatforms.start(dir.resolve("platform"))) {
            int clusters = platform.catalog().accessRequests().partitions();
            Map<String, Object> settings = new HashMap<>();
            settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
            settings.put("schema.registry.url", platform.schemaRegistryUrl());
            settings.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
            settings.put(ProcessorsConfig.STATE_DIR, dir.resolve("streams").toString());
            settings.put(ProcessorsConfig.METRICS_PORT, -1);
            settings.put(TopicCatalogConfig.PARTITIONS, clusters + 1);

            assertThatThrownBy(() -> ProcessorsApp.start(new ProcessorsConfig(settings), Duration.ofSeconds(60)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(TopicCatalogConfig.PARTITIONS)
                    .hasMessageContaining("topic " + platform.catalog().accessRequests().name() + " has partitions="
                            + clusters + " but the catalogue says " + (clusters + 1));
            assertThat(dir.resolve("streams")).as("no stream task was started").doesNotExist();
        }
    }
}
