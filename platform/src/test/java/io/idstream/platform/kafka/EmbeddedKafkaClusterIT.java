package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three in-process nodes: replicated topics, writes with acks=all while one node is down, and its return; a node
 * without a quorum gives up starting.
 */
@Timeout(120)
class EmbeddedKafkaClusterIT {
    @TempDir
    static Path kafkaDir;
    static EmbeddedKafkaCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() {
        cluster = EmbeddedKafkaCluster.start(kafkaDir, KafkaClusterLayout.consecutive(3, 0), null);
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
    void aTopicGetsThreeReplicasAndSurvivesTheLossOfItsLeader() throws Exception {
        // Given a topic created with the cluster's defaults
        admin.createTopics(List.of(new NewTopic("replicated", Optional.of(1), Optional.empty()))).all()
                .get(30, TimeUnit.SECONDS);
        // (metadata reaches every node shortly after the create returns)
        TopicPartitionInfo partition = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> describe("replicated"), described -> described.leader() != null);
        assertThat(partition.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "replicated")))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next().get("min.insync.replicas").value())
                .isEqualTo("2");

        // When its leader stops
        int leader = partition.leader().id();
        cluster.stopNode(leader);
        assertThat(cluster.running(leader)).isFalse();

        // Then a write with acks=all still succeeds and is read back
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("replicated", "key", "while node " + leader + " is down"))
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(readAll("replicated")).containsExactly("while node " + leader + " is down");

        // And the node, started again on its dir and ports, rejoins the in-sync replicas
        cluster.startNode(leader);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(describe("replicated").isr()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3));
        assertThat(cluster.nodeDir(leader)).isEqualTo(kafkaDir.resolve("node-" + leader));
    }

    @Test
    void theInternalTopicsAreReplicatedToo() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try {
                // Looking up a group's coordinator makes the broker create the offsets topic.
                admin.describeConsumerGroups(List.of("internal-topics")).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // the coordinator is not there yet, or the group is unknown: either way the lookup was made
            }
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get())
                    .contains("__consumer_offsets");
        });
        assertThat(describe("__consumer_offsets").replicas()).hasSize(3);
    }

    @Test
    @Timeout(60)
    void aNodeWithoutAQuorumGivesUpStartingInsteadOfWaitingForever(@TempDir Path loneDir) {
        // Given one node of three formatted, its two peers never started
        KafkaClusterLayout layout = KafkaClusterLayout.consecutive(3, 0);
        String clusterId = KafkaLogDir.clusterId(loneDir, 3);
        Path nodeDir = KafkaLogDir.nodeDir(loneDir, 1);
        KafkaLogDir.formatIfNew(nodeDir, 1, clusterId, null);
        // Its peers never come, so any max startup time runs out: a short one.
        KafkaNode lone = new KafkaNode(1, nodeDir, layout, null, Duration.ofSeconds(2));

        // When it starts, it cannot form a quorum, and says so once its max startup time has passed
        assertThatThrownBy(lone::start)
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("Kafka node 1 did not start on " + layout.clientAddress(1) + ": ");
    }

    private static TopicPartitionInfo describe(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().get(0);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> readAll(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("reader")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
