package io.idstream.topics;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicCatalogTest {
    private final TopicCatalog catalog = TopicCatalog.create(Map.of());

    @Test
    void namesAreTheDesignsDefaults() {
        assertThat(catalog.platformTopics()).extracting(Topic::name).containsExactly(
                "_schemas", "idstream.generation", "idstream.directory", "idstream.directory.verified", "idstream.directory.global",
                "idstream.credentials.issued", "idstream.credentials.stored",
                "idstream.access.requests", "idstream.access.decisions", "idstream.holder.inbox", "idstream.audit",
                "idstream.holder.backups", "idstream.rejected");
        assertThat(catalog.deliveries("exchange-a").name()).isEqualTo("idstream.deliveries.exchange-a");
        assertThat(catalog.deliveries("exchange-a").name()).startsWith(catalog.deliveriesPrefix());
        assertThat(catalog.issuerNotices("kyc-co").name()).isEqualTo("idstream.notices.kyc-co")
                .startsWith(catalog.issuerNoticesPrefix());
        assertThat(catalog.holderBackups().configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void holderKeyedTopicsShareOnePartitionCount() {
        TopicCatalog wide = TopicCatalog.create(Map.of(TopicCatalogConfig.PARTITIONS, "12",
                TopicCatalogConfig.REPLICATION_FACTOR, "3"));
        assertThat(wide.platformTopics()).filteredOn(t -> t.name().startsWith("idstream."))
                .filteredOn(t -> !t.name().equals(wide.generations().name()))
                .allSatisfy(t -> {
                    assertThat(t.partitions()).isEqualTo(12);
                    assertThat(t.replicationFactor()).isEqualTo((short) 3);
                });
        assertThat(wide.deliveries("app-b").partitions()).isEqualTo(12);
        assertThat(wide.schemas().partitions()).as("the registry's log is one ordered partition").isEqualTo(1);
    }

    @Test
    void theRawDirectoryIsOnTheHoldersPartitionCountAndTheGlobalDirectoryIsCompacted() {
        TopicCatalog wide = TopicCatalog.create(Map.of(TopicCatalogConfig.PARTITIONS, "24"));
        // A holder's registration must be in the partition number of her other records, so that the task that
        // verifies it is the one that reads it (docs/protocol.md section 10).
        assertThat(wide.directory().partitions()).as("the raw directory")
                .isEqualTo(wide.credentialsIssued().partitions()).isEqualTo(wide.accessRequests().partitions())
                .isEqualTo(wide.accessDecisions().partitions()).isEqualTo(24);
        assertThat(wide.directoryGlobal().name()).isEqualTo("idstream.directory.global");
        assertThat(wide.directoryGlobal().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(wide.platformTopics()).as("provisioned with the platform").contains(wide.directoryGlobal());
    }

    @Test
    void aLaterGenerationRenamesTheHolderKeyedTopicsAndSizesThemAlone() {
        TopicCatalog grown = TopicCatalog.create(Map.of(TopicCatalogConfig.GENERATION, "2",
                TopicCatalogConfig.PARTITIONS, "12"));
        assertThat(grown.generation()).isEqualTo(new TopicGeneration(2, 12));
        assertThat(grown.generationTopics()).extracting(Topic::name).containsExactly(
                "idstream.g2.directory", "idstream.g2.credentials.issued", "idstream.g2.credentials.stored",
                "idstream.g2.access.requests", "idstream.g2.access.decisions", "idstream.g2.holder.inbox",
                "idstream.g2.audit", "idstream.g2.holder.backups");
        assertThat(grown.generationTopics()).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(12));
        // Read whatever their count, by name that does not change: clients and ACLs keep them across generations.
        assertThat(List.of(grown.directoryVerified(), grown.directoryGlobal(), grown.rejected(),
                grown.deliveries("app-b"), grown.issuerNotices("kyc-co"), grown.generations()))
                .extracting(Topic::name).containsExactly("idstream.directory.verified", "idstream.directory.global",
                        "idstream.rejected", "idstream.deliveries.app-b", "idstream.notices.kyc-co",
                        "idstream.generation");
        assertThat(grown.generations().partitions()).as("one ordered log").isEqualTo(1);
        assertThat(grown.generations().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(catalog.generation()).isEqualTo(new TopicGeneration(0, 6));
        assertThat(catalog.generationTopics()).extracting(Topic::name).doesNotContain("idstream.g0.directory")
                .contains("idstream.directory", "idstream.audit");
    }

    @Test
    void cleanupPoliciesFollowTheDesign() {
        assertThat(catalog.directory().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(catalog.credentialsStored().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(catalog.schemas().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(catalog.accessDecisions().configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(TopicCatalog.DECISIONS_RETENTION.toMillis()));
        assertThat(catalog.audit().configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(TopicCatalog.AUDIT_RETENTION.toMillis()));
        assertThat(TopicCatalog.AUDIT_RETENTION).isGreaterThan(TopicCatalog.ISSUED_RETENTION);
    }

    @Test
    void theRequestsTopicAloneCapsItsBatchesFarBelowTheBrokersMegabyte() {
        assertThat(catalog.accessRequests().configs()).containsEntry("max.message.bytes", "65536")
                .containsEntry("retention.ms", Long.toString(TopicCatalog.REQUESTS_RETENTION.toMillis()));
        assertThat(catalog.platformTopics()).filteredOn(t -> t != catalog.accessRequests())
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("max.message.bytes"));
    }

    @Test
    void prefixChangesEveryIdstreamTopic() {
        TopicCatalog staging = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "staging.idstream"));
        assertThat(staging.accessRequests().name()).isEqualTo("staging.idstream.access.requests");
        assertThat(staging.deliveries("app-b").name()).isEqualTo("staging.idstream.deliveries.app-b");
    }

    @Test
    void badSettingsNameTheirKey() {
        assertThatThrownBy(() -> TopicCatalog.create(Map.of(TopicCatalogConfig.PARTITIONS, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(TopicCatalogConfig.PARTITIONS);
        assertThatThrownBy(() -> TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "Bad Prefix")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(TopicCatalogConfig.TOPIC_PREFIX);
    }

    @Test
    void deliveryTopicNeedsAValidConsumerId() {
        assertThatThrownBy(() -> catalog.deliveries("../etc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumer id");
        assertThatThrownBy(() -> catalog.deliveries("A"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serdesNeedARegistryOnlyWhenAskedFor() {
        assertThat(catalog.audit().keySerde().serializer().serialize(catalog.audit().name(), "alice"))
                .isEqualTo("alice".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> catalog.audit().valueSerde())
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }
}
