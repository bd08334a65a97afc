package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.topics.TopicCatalogConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replication {@code idstream platform} prints is what its topics were given, not what its nodes allow. */
@Timeout(120)
class PlatformSettingsIT {
    @TempDir
    Path dir;

    @Test
    void anExplicitReplicationFactorOfTwoOnThreeNodesIsPrintedAsTwo() throws Exception {
        // Given three nodes whose operator asked for two replicas of each topic
        Map<String, Object> settings = TestPlatform.settings(dir, false);
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freeConsecutivePorts(3));
        settings.put(PlatformConfig.NODES, 3);
        settings.put(PlatformConfig.PROCESSORS_ENABLED, false);
        settings.put(PlatformConfig.GATEWAY_ENABLED, false);
        settings.put(TopicCatalogConfig.REPLICATION_FACTOR, "2");
        PlatformConfig config = new PlatformConfig(settings);

        try (Platform platform = Platform.start(config)) {
            // When the platform prints its settings
            StringWriter printed = new StringWriter();
            PlatformSettings.print(platform, config, new PrintWriter(printed, true));

            // Then they say three nodes, the two replicas each topic has, and the brokers' min ISR the topics keep
            assertThat(printed.toString().lines()).contains("kafka.nodes=3", "replication.factor=2",
                    "min.insync.replicas=2");
        }
    }
}
