package io.idstream.topics;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(120)
class ReplicationTest {
    private static final List<Node> BROKERS = List.of(new Node(1, "broker-1", 9092), new Node(2, "broker-2", 9092),
            new Node(3, "broker-3", 9092));

    @Test
    void byDefaultTheCatalogueLeavesTheFactorToTheCluster() {
        TopicCatalog catalog = TopicCatalog.create(Map.of());

        assertThat(catalog.platformTopics()).extracting(Topic::replicationFactor)
                .containsOnly(Replication.CLUSTER_DEFAULT);
        assertThat(catalog.deliveries("exchange-a").replicationFactor()).isEqualTo(Replication.CLUSTER_DEFAULT);
    }

    @Test
    void aFactorOfZeroOrBeyondThirtyTwoIsRefusedByName() {
        for (String bad : List.of("0", "-2", "33")) {
            assertThatThrownBy(() -> TopicCatalog.create(Map.of(TopicCatalogConfig.REPLICATION_FACTOR, bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(TopicCatalogConfig.REPLICATION_FACTOR)
                    .hasMessageContaining("-1 (the cluster's default.replication.factor)");
        }
    }

    @Test
    void fromThreeReplicasOnAWriteMustReachAllButOne() {
        assertThat(Replication.of((short) 1)).isEqualTo(new Replication((short) 1, 1));
        assertThat(Replication.of((short) 2)).isEqualTo(new Replication((short) 2, 1));
        assertThat(Replication.of((short) 3)).isEqualTo(new Replication((short) 3, 2));
        assertThat(Replication.of((short) 5)).isEqualTo(new Replication((short) 5, 4));
        assertThat(Replication.of((short) 2).topicConfigs()).as("below RF 3 the broker's own min ISR stays")
                .isEmpty();
    }

    @Test
    void aTopicIsCreatedWithTheResolvedFactorAndMinIsr() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        NewTopic onThree = audit.newTopic(Replication.of((short) 3));
        NewTopic onOne = audit.newTopic(Replication.of((short) 1));

        assertThat(onThree.replicationFactor()).isEqualTo((short) 3);
        assertThat(onThree.configs()).containsEntry("min.insync.replicas", "2")
                .containsEntry("cleanup.policy", "delete");
        assertThat(onOne.replicationFactor()).isEqualTo((short) 1);
        assertThat(onOne.configs()).doesNotContainKey("min.insync.replicas");
    }

    @Test
    void aTopicWithFewerReplicasThanResolvedIsDrift() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        List<TopicDrift> drift = TopicDrifts.driftOf(audit, Replication.of((short) 3),
                description(audit, 1), configs(audit, "2"));

        assertThat(drift).extracting(TopicDrift::describe)
                .containsExactly("topic idstream.audit has replication.factor=1 but the catalogue says 3");
    }

    @Test
    void aTopicWithAnotherMinIsrIsDriftFromThreeReplicasOn() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        List<TopicDrift> onThree = TopicDrifts.driftOf(audit, Replication.of((short) 3),
                description(audit, 3), configs(audit, "1"));
        List<TopicDrift> onTwo = TopicDrifts.driftOf(audit, Replication.of((short) 2),
                description(audit, 2), configs(audit, "2"));

        assertThat(onThree).extracting(TopicDrift::describe)
                .containsExactly("topic idstream.audit has min.insync.replicas=1 but the catalogue says 2");
        assertThat(onTwo).as("below RF 3 the broker's min ISR is left alone").isEmpty();
    }

    @Test
    void moreReplicasThanResolvedAndTheExpectedMinIsrAreNoDrift() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        assertThat(TopicDrifts.driftOf(audit, Replication.of((short) 2), description(audit, 3),
                configs(audit, "1"))).isEmpty();
        assertThat(TopicDrifts.driftOf(audit, Replication.of((short) 3), description(audit, 3),
                configs(audit, "2"))).isEmpty();
    }

    @Test
    void theClusterDefaultIsTheHighestOfTheBrokersWhateverTheirOrder() {
        Map<String, Config> firstSaysOne = new LinkedHashMap<>();
        firstSaysOne.put("1", broker("1", "1"));
        firstSaysOne.put("2", broker("3", "1"));
        firstSaysOne.put("3", broker("3", "1"));
        Map<String, Config> firstSaysThree = new LinkedHashMap<>();
        firstSaysThree.put("2", broker("3", "1"));
        firstSaysThree.put("1", broker("1", "1"));

        assertThat(ClusterReplication.resolve(Replication.CLUSTER_DEFAULT, firstSaysOne, 3))
                .isEqualTo(new Replication((short) 3, 2));
        assertThat(ClusterReplication.resolve(Replication.CLUSTER_DEFAULT, firstSaysThree, 3))
                .isEqualTo(new Replication((short) 3, 2));
    }

    @Test
    void aFactorBelowTheBrokersMinIsrIsRefusedNamingTheKeyAndBothNumbers() {
        Map<String, Config> defaultOneMinIsrTwo = Map.of("1", broker("1", "2"), "2", broker("1", "2"));
        Map<String, Config> defaultThreeMinIsrThree = Map.of("1", broker("3", "3"));

        assertThatThrownBy(() -> ClusterReplication.resolve(Replication.CLUSTER_DEFAULT, defaultOneMinIsrTwo, 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TopicCatalogConfig.REPLICATION_FACTOR)
                .hasMessageContaining("default.replication.factor 1 is below the brokers' min.insync.replicas 2")
                .hasMessageContaining("NOT_ENOUGH_REPLICAS");
        assertThatThrownBy(() -> ClusterReplication.resolve((short) 2, defaultThreeMinIsrThree, 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TopicCatalogConfig.REPLICATION_FACTOR)
                .hasMessageContaining("the factor 2 is below the brokers' min.insync.replicas 3");
    }

    @Test
    void aFactorThatMeetsTheBrokersMinIsrOrSetsItsOwnIsKept() {
        assertThat(ClusterReplication.resolve(Replication.CLUSTER_DEFAULT, Map.of("1", broker("1", "1")), 1))
                .as("one node, min ISR 1").isEqualTo(new Replication((short) 1, 1));
        assertThat(ClusterReplication.resolve((short) 2, Map.of("1", broker("3", "2")), 3))
                .isEqualTo(new Replication((short) 2, 1));
        assertThat(ClusterReplication.resolve((short) 3, Map.of("1", broker("3", "4")), 5))
                .as("from RF 3 on the topic's own min ISR applies, not the broker's")
                .isEqualTo(new Replication((short) 3, 2));
    }

    @Test
    void aPartitionWithFewerInSyncReplicasThanReplicasIsDrift() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();
        List<TopicPartitionInfo> partitions = new ArrayList<>(description(audit, 3).partitions());
        partitions.set(1, new TopicPartitionInfo(1, BROKERS.get(0), BROKERS, BROKERS.subList(0, 2)));
        partitions.set(2, new TopicPartitionInfo(2, BROKERS.get(0), BROKERS, BROKERS.subList(0, 1)));

        List<TopicDrift> drift = TopicDrifts.driftOf(audit, Replication.of((short) 3),
                new TopicDescription(audit.name(), false, partitions), configs(audit, "2"));

        assertThat(drift).containsExactly(new TopicDrift(audit.name(), "in-sync replicas", "3", "1"));
        assertThat(drift.get(0).describe()).isEqualTo("topic idstream.audit has a partition with 1 in-sync replicas "
                + "of its 3: under-replicated while a broker is away or behind");
    }

    @Test
    void aTopicOutsideTheCatalogueIsCheckedForItsReplicationAlone() {
        Topic<?, ?> deliveries = TopicCatalog.create(Map.of()).deliveries("exchange-a");
        Config otherRetention = new Config(List.of(new ConfigEntry("retention.ms", "1"),
                new ConfigEntry("min.insync.replicas", "1")));

        List<TopicDrift> drift = TopicDrifts.replicationDriftOf(deliveries.name(), Replication.of((short) 3),
                description(deliveries, 2), otherRetention);

        assertThat(drift).containsExactly(new TopicDrift(deliveries.name(), "replication.factor", "3", "2"),
                new TopicDrift(deliveries.name(), "min.insync.replicas", "2", "1"));
    }

    private static Config broker(String defaultReplicationFactor, String minInsyncReplicas) {
        return new Config(List.of(new ConfigEntry("default.replication.factor", defaultReplicationFactor),
                new ConfigEntry("min.insync.replicas", minInsyncReplicas)));
    }

    private static TopicDescription description(Topic<?, ?> topic, int replicas) {
        List<TopicPartitionInfo> partitions = IntStream.range(0, topic.partitions())
                .mapToObj(p -> new TopicPartitionInfo(p, BROKERS.get(0), BROKERS.subList(0, replicas),
                        BROKERS.subList(0, replicas)))
                .toList();
        return new TopicDescription(topic.name(), false, partitions);
    }

    private static Config configs(Topic<?, ?> topic, String minInsyncReplicas) {
        List<ConfigEntry> entries = new ArrayList<>();
        topic.configs().forEach((key, value) -> entries.add(new ConfigEntry(key, value)));
        entries.add(new ConfigEntry("min.insync.replicas", minInsyncReplicas));
        return new Config(entries);
    }
}
