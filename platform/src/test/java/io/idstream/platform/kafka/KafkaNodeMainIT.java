package io.idstream.platform.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes, each in a JVM of its own as {@link KafkaNodeMain} runs it: one is killed outright (SIGKILL), writes with
 * acks=all go on, and the node started again on its dir rejoins the in-sync replicas.
 */
@Timeout(180)
class KafkaNodeMainIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static final Process[] NODES = new Process[3];

    @AfterAll
    static void killAll() throws InterruptedException {
        for (Process node : NODES) {
            if (node != null) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aKilledNodeStartedAgainOnItsDirRejoins() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        KafkaClusterLayout layout = KafkaClusterLayout.consecutive(3, 0);
        for (int id = 1; id <= 3; id++) {
            NODES[id - 1] = launch(kafkaDir, id, layout, 1);
        }
        for (int id = 1; id <= 3; id++) {
            awaitUp(id, 1);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                layout.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("killed", Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            TopicPartitionInfo partition = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> describe(admin), described -> described.leader() != null);
            int leader = partition.leader().id();

            NODES[leader - 1].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = producer(layout)) {
                assertThat(producer.send(new ProducerRecord<>("killed", "k", "after the kill"))
                        .get(60, TimeUnit.SECONDS).offset()).isZero();
            }

            NODES[leader - 1] = launch(kafkaDir, leader, layout, 2);
            awaitUp(leader, 2);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(describe(admin).isr()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3));
        }
        assertThat(Files.readString(kafkaDir.resolve("node-1").resolve("meta.properties")))
                .contains("cluster.id=" + Files.readString(kafkaDir.resolve("cluster.id")).strip());
    }

    private static Process launch(Path kafkaDir, int id, KafkaClusterLayout layout, int run) throws IOException {
        String ports = layout.clientPorts().stream().map(String::valueOf).collect(Collectors.joining(","));
        String controllerPorts = layout.controllerPorts().stream().map(String::valueOf)
                .collect(Collectors.joining(","));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(), kafkaDir.toString(),
                Integer.toString(id), ports, controllerPorts)
                .redirectErrorStream(true).redirectOutput(output(id, run).toFile()).start();
    }

    private static void awaitUp(int id, int run) {
        await("node " + id + " printing 'kafka node " + id + " up'").atMost(START_TIMEOUT)
                .until(() -> Files.exists(output(id, run))
                && Files.readString(output(id, run)).contains("kafka node " + id + " up"));
    }

    private static Path output(int id, int run) {
        return dir.resolve("node-" + id + "-run-" + run + ".out");
    }

    private static TopicPartitionInfo describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of("killed")).allTopicNames().get(30, TimeUnit.SECONDS).get("killed")
                .partitions().get(0);
    }

    private static KafkaProducer<String, String> producer(KafkaClusterLayout layout) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }
}
