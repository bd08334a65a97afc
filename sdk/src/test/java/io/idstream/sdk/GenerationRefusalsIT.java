package io.idstream.sdk;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.HolderBackup;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a client does when a topic refuses a record as too large, and what its waits cost, on a real broker: a write
 * refused by a topic closed for a growth that then failed (the topic opened again, no new generation) lands once in
 * that topic; a record over the topic's own limit fails at once, naming its size and the limit, rather than waiting
 * for a growth; and a wait for a record re-reads the generation topic at most once in five seconds without a growth.
 * Each test has its own prefix, so its own deployment.
 */
@Timeout(120)
class GenerationRefusalsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String HOLDER = "holder-1";

    @TempDir
    static Path dataDir;
    static Platform platform;
    static Admin admin;

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        platform.close();
    }

    @Test
    void aWriteRefusedByATopicAFailedGrowthOpenedAgainLandsOnceInThatTopic() throws Exception {
        Properties client = client("reopened", TIMEOUT);
        TopicCatalog catalog = provision(client);
        Topic<String, HolderBackup> backups = catalog.holderBackups();
        setMaxMessageBytes(backups, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "0"),
                AlterConfigOp.OpType.SET), "0");
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            Thread[] writer = new Thread[1];
            CompletableFuture<RecordMetadata> write = CompletableFuture.supplyAsync(() -> {
                writer[0] = Thread.currentThread();
                return gateway.send(backups, HOLDER, backup("during a failed growth"));
            });
            await("the write waiting for the next generation").atMost(TIMEOUT).until(() -> write.isDone()
                    || writer[0] != null && List.of(writer[0].getStackTrace()).stream()
                    .anyMatch(frame -> frame.getMethodName().equals("awaitSuccessor")));
            setMaxMessageBytes(backups, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""),
                    AlterConfigOp.OpType.DELETE), String.valueOf(1024 * 1024 + 12));

            RecordMetadata written = write.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(written.topic()).isEqualTo("reopened.holder.backups");
            assertThat(backupsOn(backups)).containsExactly("during a failed growth");
        }
    }

    @Test
    void aRequestOverTheRequestsTopicsLimitFailsAtOnceNamingTheLimit() {
        Properties client = client("oversized", TIMEOUT);
        provision(client);
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            AccessRequest request = AccessRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setConsumerId("consumer-1").setHolderId(HOLDER).setCredentialType("kyc").setCredentialId("")
                    .setPurpose("x".repeat(70 * 1024)).setCreatedAt(1_000L).setFields(List.of("country"))
                    .setSignature(ByteBuffer.allocate(64)).build();
            long start = System.nanoTime();

            assertThatThrownBy(() -> gateway.send(gateway.catalog().accessRequests(), HOLDER, request))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("cannot write to oversized.access.requests: the record is")
                    .hasMessageContaining("over the topic's limit of " + TopicCatalog.REQUESTS_MAX_MESSAGE_BYTES
                            + " bytes (max.message.bytes)");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWaitForARecordReadsTheGenerationAtMostOnceInFiveSecondsWithoutAGrowth() {
        Properties client = client("waiting", TIMEOUT);
        provision(client);
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            Topic<String, HolderBackup> backups = gateway.catalog().holderBackups();
            long readsBefore = gateway.generations.generationReads();

            assertThatThrownBy(() -> gateway.awaitRecord(backups, HOLDER, record -> true, Duration.ofSeconds(5),
                    "a backup", "")).hasMessage("a backup within 5 s");

            assertThat(gateway.generations.generationReads() - readsBefore)
                    .as("reads of the generation topic during a 5 s wait without a growth").isLessThanOrEqualTo(1);
        }
    }

    private static Properties client(String prefix, Duration timeout) {
        Properties properties = platform.clientProperties();
        properties.put(TopicCatalogConfig.TOPIC_PREFIX, prefix);
        properties.put(KafkaGateway.TIMEOUT_CONFIG, String.valueOf(timeout.toMillis()));
        return properties;
    }

    /** The platform topics of generation 0 for {@code client}'s prefix. */
    private static TopicCatalog provision(Properties client) {
        Map<String, Object> configs = new HashMap<>();
        client.forEach((key, value) -> configs.put((String) key, value));
        TopicCatalog catalog = TopicCatalog.create(configs);
        new TopicProvisioner(admin, TIMEOUT).provision(catalog.platformTopics());
        return catalog;
    }

    /** Changes the topic's max.message.bytes as a growth does, and waits until the broker applies it. */
    private static void setMaxMessageBytes(Topic<?, ?> topic, AlterConfigOp change, String applied) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        admin.incrementalAlterConfigs(Map.of(resource, List.of(change))).all().toCompletionStage()
                .toCompletableFuture().join();
        await("the broker applying max.message.bytes=" + applied).atMost(TIMEOUT).until(() -> admin
                .describeConfigs(List.of(resource)).all().toCompletionStage().toCompletableFuture().join()
                .get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value().equals(applied));
    }

    private static HolderBackup backup(String text) {
        return new HolderBackup(HOLDER, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 1_000L);
    }

    /** Every backup on the topic, all partitions read to their end, as text. */
    private static List<String> backupsOn(Topic<String, HolderBackup> topic) {
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic.name(), TIMEOUT),
                    TIMEOUT, record -> {
                        ByteBuffer bytes = topic.valueSerde().deserializer().deserialize(topic.name(),
                                record.value()).getBackup();
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        texts.add(new String(copy, StandardCharsets.UTF_8));
                    });
        }
        return texts;
    }
}
