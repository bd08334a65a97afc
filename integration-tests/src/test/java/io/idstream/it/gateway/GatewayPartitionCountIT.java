package io.idstream.it.gateway;

import io.idstream.gateway.GatewayApp;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.HolderChanges;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway hashes holder ids over {@code idstream.topic.partitions} as the processors do. Started with a count the
 * cluster's holder-keyed topics do not have, it would drop every genuine record as wrong-partition and send holders
 * to the wrong instance; it refuses to start instead, naming the setting and the topics. Topics not created yet are
 * waited for, within the ready timeout.
 */
@Timeout(180)
class GatewayPartitionCountIT {
    @TempDir
    Path dir;

    Map<String, Object> gatewaySettings(Platform platform, int partitions) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put(GatewayConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
        settings.put(GatewayConfig.STATE_DIR, dir.resolve("gateway").toString());
        settings.put(TopicCatalogConfig.PARTITIONS, partitions);
        return settings;
    }

    @Test
    void aGatewayConfiguredForAnotherPartitionCountThanTheClustersRefusesToStart() {
        try (Platform platform = TestPlatforms.start(dir.resolve("platform"))) {
            int clusters = platform.catalog().holderInbox().partitions();
            GatewayConfig config = new GatewayConfig(gatewaySettings(platform, clusters + 1));

            assertThatThrownBy(() -> GatewayApp.start(config, 0, HolderChanges.NONE, Duration.ofSeconds(60)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(TopicCatalogConfig.PARTITIONS)
                    .hasMessageContaining("topic " + platform.catalog().holderInbox().name() + " has " + clusters
                            + " partitions");
            assertThat(dir.resolve("gateway")).as("no stream task was started").doesNotExist();
        }
    }

    @Test
    void topicsThatDoNotExistYetAreWaitedForWithinTheReadyTimeout() throws Exception {
        try (Platform platform = TestPlatforms.start(dir.resolve("platform"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers()))) {
            Map<String, Object> missing = gatewaySettings(platform, 3);
            missing.put(TopicCatalogConfig.TOPIC_PREFIX, "never");
            Map<String, Object> late = gatewaySettings(platform, 3);
            late.put(TopicCatalogConfig.TOPIC_PREFIX, "late");
            TopicCatalog lateTopics = TopicCatalog.create(late);

            assertThatThrownBy(() -> GatewayApp.start(new GatewayConfig(missing), 0, HolderChanges.NONE,
                    Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never.holder.inbox")
                    .hasMessageContaining("do not exist");

            CompletableFuture<GatewayApp> starting = CompletableFuture.supplyAsync(() -> GatewayApp.start(
                    new GatewayConfig(late), 0, HolderChanges.NONE, Duration.ofSeconds(60)));
            admin.createTopics(List.of(lateTopics.holderInbox(), lateTopics.credentialsStored(), lateTopics.audit(),
                    lateTopics.accessDecisions(), lateTopics.holderBackups()).stream().map(topic -> new NewTopic(topic.name(), 2, (short) 1))
                    .toList()).all().get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> starting.get(90, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ConfigException.class)
                    .hasMessageContaining("topic late.holder.inbox has 2 partitions");
        }
    }
}
