package io.idstream.platform.topics;

import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code <prefix>.generation} on a real broker: no topic, or no record, is generation 0 with the configured count; of
 * the records on it the highest generation counts whatever order they were written in, and bytes of any other shape
 * are read past; resolving sets the generation's number and partition count in the settings every catalogue is made
 * from.
 */
@Timeout(120)
class TopicGenerationsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static Platform platform;
    static Admin admin;
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        admin.close();
        platform.close();
    }

    @Test
    void aDeploymentWithoutAGenerationTopicIsInGenerationZeroWithItsConfiguredCount() {
        Map<String, Object> configs = configs("absent", 4);

        TopicGeneration current = TopicGenerations.current(configs, TIMEOUT);

        assertThat(current).isEqualTo(new TopicGeneration(0, 4));
        assertThat(admin.listTopics().names().toCompletionStage().toCompletableFuture().join())
                .as("reading the generation creates no topic").doesNotContain("absent.generation");
    }

    @Test
    void anEmptyGenerationTopicIsGenerationZeroWithTheConfiguredCount() {
        Map<String, Object> configs = configs("empty", 3);
        provisionGenerationTopic(configs);

        assertThat(TopicGenerations.current(configs, TIMEOUT)).isEqualTo(new TopicGeneration(0, 3));
    }

    @Test
    void theHighestGenerationWinsEvenWhenALowerOneIsWrittenAfterIt() {
        Map<String, Object> configs = configs("late", 6);
        TopicCatalog catalog = provisionGenerationTopic(configs);

        TopicGenerations.publish(producer, catalog, new TopicGeneration(2, 24), TIMEOUT);
        TopicGenerations.publish(producer, catalog, new TopicGeneration(1, 12), TIMEOUT);

        assertThat(TopicGenerations.current(configs, TIMEOUT)).isEqualTo(new TopicGeneration(2, 24));
    }

    @Test
    void recordsOfAnyOtherShapeAreReadPast() throws Exception {
        Map<String, Object> configs = configs("shapes", 6);
        TopicCatalog catalog = provisionGenerationTopic(configs);
        TopicGenerations.publish(producer, catalog, new TopicGeneration(1, 12), TIMEOUT);

        for (String other : List.of("{\"generation\": 5, \"partitions\": 60}", "{\"generation\":5}",
                "{\"generation\":5,\"partitions\":60,\"extra\":1}", "{\"generation\":5,\"partitions\":60}\n",
                "{\"generation\":05,\"partitions\":60}", "generation 5", "")) {
            write(catalog, other.getBytes(StandardCharsets.UTF_8));
        }
        write(catalog, null);

        assertThat(TopicGenerations.current(configs, TIMEOUT)).isEqualTo(new TopicGeneration(1, 12));
    }

    @Test
    void resolvingSetsTheGenerationAndItsPartitionCountForTheCatalogue() {
        Map<String, Object> configs = configs("resolved", 6);
        TopicCatalog catalog = provisionGenerationTopic(configs);
        TopicGenerations.publish(producer, catalog, new TopicGeneration(3, 18), TIMEOUT);

        Map<String, Object> resolved = TopicGenerations.resolve(configs, TIMEOUT);

        assertThat(resolved).containsEntry(TopicCatalogConfig.GENERATION, 3)
                .containsEntry(TopicCatalogConfig.PARTITIONS, 18)
                .containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        TopicCatalog resolvedCatalog = TopicCatalog.create(resolved);
        assertThat(resolvedCatalog.credentialsIssued().name()).isEqualTo("resolved.g3.credentials.issued");
        assertThat(resolvedCatalog.credentialsIssued().partitions()).isEqualTo(18);
    }

    private static Map<String, Object> configs(String prefix, int partitions) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                TopicCatalogConfig.TOPIC_PREFIX, prefix, TopicCatalogConfig.PARTITIONS, partitions);
    }

    private static TopicCatalog provisionGenerationTopic(Map<String, Object> configs) {
        TopicCatalog catalog = TopicCatalog.create(configs);
        new TopicProvisioner(admin, TIMEOUT).provision(List.of(catalog.generations()));
        return catalog;
    }

    private static void write(TopicCatalog catalog, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(catalog.generations().name(), 0, TopicGenerations.KEY, value)).get();
    }
}
