package io.idstream.platform;

import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.ProvisioningReport;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(180)
class PlatformRestartIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void restartKeepsSchemaIdsAndTopicData() throws Exception {
        Schema schema = SchemaBuilder.record("Survivor").namespace("io.idstream.test").fields()
                .requiredString("name").endRecord();
        int kafkaPort = Ports.freePort();
        int registryPort = Ports.freePort();
        Map<String, Object> settings = Map.of(
                PlatformConfig.DATA_DIR, dataDir.toString(),
                PlatformConfig.KAFKA_PORT, kafkaPort,
                PlatformConfig.REGISTRY_PORT, registryPort);

        int firstId;
        String topic;
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            assertThat(platform.provisioning().created()).contains("idstream.access.requests", "_schemas");
            SchemaRegistryClient client = new SchemaRegistryClient(platform.schemaRegistryUrl());
            client.register("other-value", SchemaBuilder.record("Other").fields().requiredInt("n").endRecord());
            firstId = client.register("survivor-value", schema);
            topic = platform.catalog().audit().name();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "alice", "kept across restart")).get();
            }
        }

        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            ProvisioningReport report = platform.provisioning();
            assertThat(report.created()).isEmpty();
            assertThat(report.drift()).isEmpty();
            SchemaRegistryClient client = new SchemaRegistryClient(platform.schemaRegistryUrl());
            assertThat(client.schemaById(firstId)).isEqualTo(schema);
            assertThat(client.register("survivor-value", schema)).isEqualTo(firstId);
            assertThat(client.subjects()).containsExactly("other-value", "survivor-value");
            assertThat(readAll(platform.bootstrapServers(), topic)).containsExactly("alice=kept across restart");
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringDeserializer(), new StringDeserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic, TIMEOUT), TIMEOUT,
                    record -> values.add(record.key() + "=" + record.value()));
        }
        return values;
    }
}
