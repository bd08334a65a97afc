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

        List<TopicDrift> drift = TopicProvisioner.driftOf(audit, Replication.of((short) 3),
                description(audit, 1), configs(audit, "2"));

        assertThat(drift).extracting(TopicDrift::describe)
                .containsExactly("topic idstream.audit has replication.factor=1 but the catalogue says 3");
    }

    @Test
    void aTopicWithAnotherMinIsrIsDriftFromThreeReplicasOn() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        List<TopicDrift> onThree = TopicProvisioner.driftOf(audit, Replication.of((short) 3),
                description(audit, 3), configs(audit, "1"));
        List<TopicDrift> onTwo = TopicProvisioner.driftOf(audit, Replication.of((short) 2),
                description(audit, 2), configs(audit, "2"));

        assertThat(onThree).extracting(TopicDrift::describe)
                .containsExactly("topic idstream.audit has min.insync.replicas=1 but the catalogue says 2");
        assertThat(onTwo).as("below RF 3 the broker's min ISR is left alone").isEmpty();
    }

    @Test
    void moreReplicasThanResolvedAndTheExpectedMinIsrAreNoDrift() {
        Topic<?, ?> audit = TopicCatalog.create(Map.of()).audit();

        assertThat(TopicProvisioner.driftOf(audit, Replication.of((short) 2), description(audit, 3),
                configs(audit, "1"))).isEmpty();
        assertThat(TopicProvisioner.driftOf(audit, Replication.of((short) 3), description(audit, 3),
                configs(audit, "2"))).isEmpty();
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
