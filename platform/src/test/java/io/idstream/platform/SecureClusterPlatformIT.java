package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secure platform on three Kafka nodes: every node speaks SASL_SSL with the platform's certificate and knows
 * the admin's SCRAM login, the catalogue's topics are replicated to all three, and the admin's writes with
 * acks=all go on while any one node is down.
 */
@Timeout(120)
class SecureClusterPlatformIT {
    @TempDir
    static Path dir;
    static Platform platform;
    static int firstPort;

    @BeforeAll
    static void start() {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.clusterSettings(dir.resolve("data"), 3));
        settings.put(PlatformConfig.SECURE, true);
        firstPort = (int) settings.get(PlatformConfig.KAFKA_PORT);
        platform = Platform.start(new PlatformConfig(settings));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyNodeServesAndThePlatformTopicsSurviveTheLossOfTheirLeader() throws Exception {
        // acks=all with min ISR 2 succeeds only once a follower copied the record over SASL_SSL
        assertThat(platform.bootstrapServers()).isEqualTo("127.0.0.1:" + firstPort + ",127.0.0.1:" + (firstPort + 1)
                + ",127.0.0.1:" + (firstPort + 2));
        Topic<?, ?> directory = platform.catalog().directory();
        try (Admin admin = Admin.create(platform.clientProperties())) {
            TopicPartitionInfo partition = describe(admin, directory.name());
            assertThat(partition.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);

            EmbeddedKafkaCluster cluster = platform.kafkaCluster();
            int leader = partition.leader().id();
            cluster.stopNode(leader);
            try (KafkaProducer<String, String> producer = producer()) {
                RecordMetadata written = producer.send(new ProducerRecord<>(directory.name(), 0, "probe", null))
                        .get(30, TimeUnit.SECONDS);
                assertThat(written.offset()).isNotNegative();
            }
        }
    }

    private static TopicPartitionInfo describe(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().get(0);
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = platform.clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }
}
