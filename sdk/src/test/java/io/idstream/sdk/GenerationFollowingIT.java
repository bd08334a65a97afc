package io.idstream.sdk;

import io.idstream.avro.HolderBackup;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A client follows a partition growth on a real broker, as the growth runs it: the generation-0 topics are closed
 * (every write refused as too large), the generation-1 topics made with 12 partitions, and generation 1 published.
 * A write refused by the closed topic waits for the new generation and lands once, in the holder's partition of the
 * new topic; with no new generation it fails within the client's timeout, saying why; a wait for a record or for an
 * answer that began on the old topic finds what is written only to the new one; a running client that writes nothing
 * moves to the new generation within ten seconds; and a client made after the growth writes the new topics from its
 * first write. Each test has its own prefix, so its own deployment.
 */
@Timeout(120)
class GenerationFollowingIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final TopicGeneration GROWN = new TopicGeneration(1, 12);

    @TempDir
    static Path dataDir;
    static Platform platform;
    static Admin admin;
    static KafkaProducer<byte[], byte[]> operator;

    /** A holder whose partition moves with the growth: another at 12 partitions than at 6. */
    final String holder = IntStream.range(0, 100).mapToObj(i -> "holder-" + i)
            .filter(id -> HolderKeys.partitionOf(id, 12) != HolderKeys.partitionOf(id, 6)).findFirst().orElseThrow();

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
        operator = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        operator.close();
        admin.close();
        platform.close();
    }

    @Test
    void aWriteRefusedByAClosedTopicLandsOnceInTheHoldersPartitionOfTheNextGeneration() throws Exception {
        Properties client = client("moving", TIMEOUT);
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            gateway.send(gateway.catalog().holderBackups(), holder, backup("before the growth"));
            close(first);
            TopicCatalog grown = provision(client, GROWN);

            Running<RecordMetadata> write = inBackground("write-after-close",
                    () -> gateway.send(gateway.catalog().holderBackups(), holder, backup("during the growth")));
            await("the write waiting for the next generation").atMost(TIMEOUT)
                    .until(() -> write.isIn("awaitSuccessor") || write.result().isDone());
            TopicGenerations.publish(operator, first, GROWN, TIMEOUT);
            RecordMetadata written = write.result().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(written.topic()).isEqualTo("moving.g1.holder.backups");
            assertThat(written.partition()).isEqualTo(HolderKeys.partitionOf(holder, 12));
            assertThat(backupsOn(grown.holderBackups())).containsExactly("during the growth");
            assertThat(backupsOn(first.holderBackups())).as("the closed topic").containsExactly("before the growth");

            RecordMetadata later = gateway.send(gateway.catalog().holderBackups(), holder, backup("after the growth"));
            assertThat(later.topic()).as("the same producer, after a refusal").isEqualTo("moving.g1.holder.backups");
        }
    }

    @Test
    void aWriteToAClosedTopicWithNoNextGenerationFailsWithinTheTimeoutNamingTheGrowth() {
        Duration timeout = Duration.ofSeconds(3);
        Properties client = client("stalled", timeout);
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        close(first);
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> gateway.send(gateway.catalog().holderBackups(), holder, backup("stalled")))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("cannot write to stalled.holder.backups: the topic is closed for a "
                            + "partition growth and no newer generation appeared within 3 s");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(timeout, timeout.multipliedBy(2));
        }
    }

    @Test
    void aWaitThatBeganOnTheOldTopicFindsARecordWrittenOnlyToTheNewOne() throws Exception {
        Properties client = client("waiting", TIMEOUT);
        client.put(GenerationFollower.REFRESH_CONFIG, "1000");
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            Running<ConsumerRecord<String, HolderBackup>> wait = inBackground("wait-across-the-growth",
                    () -> gateway.awaitRecord(gateway.catalog().holderBackups(), holder,
                            record -> text(record.value()).equals("written after the growth"), TIMEOUT,
                            "the backup", ""));
            await("the wait reading the old topic").atMost(TIMEOUT).until(() -> wait.isCalling("awaitRecord", "poll") || wait.result().isDone());
            close(first);
            TopicCatalog grown = provision(client, GROWN);
            TopicGenerations.publish(operator, first, GROWN, TIMEOUT);
            try (KafkaGateway writer = new KafkaGateway(client)) {
                writer.send(grown.holderBackups(), holder, backup("written after the growth"));
            }

            ConsumerRecord<String, HolderBackup> found = wait.result().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(found.topic()).isEqualTo("waiting.g1.holder.backups");
            assertThat(found.partition()).isEqualTo(HolderKeys.partitionOf(holder, 12));
        }
    }

    @Test
    void aWaitForAnAnswerThatBeganOnTheOldTopicFindsTheAnswerWrittenOnlyToTheNewOne() throws Exception {
        Properties client = client("answering", TIMEOUT);
        client.put(GenerationFollower.REFRESH_CONFIG, "1000");
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            Running<ConsumerRecord<String, HolderBackup>> wait = inBackground("answer-across-the-growth",
                    () -> gateway.sendAndAwaitAnswer(gateway.catalog().holderBackups(), holder, backup("question"),
                            gateway.catalog().holderBackups(), holder,
                            record -> text(record.value()).equals("answer"), TIMEOUT, "the question"));
            await("the wait reading the old topic").atMost(TIMEOUT)
                    .until(() -> wait.isCalling("sendAndAwaitAnswer", "poll") || wait.result().isDone());
            close(first);
            TopicCatalog grown = provision(client, GROWN);
            TopicGenerations.publish(operator, first, GROWN, TIMEOUT);
            try (KafkaGateway writer = new KafkaGateway(client)) {
                writer.send(grown.holderBackups(), holder, backup("answer"));
            }

            ConsumerRecord<String, HolderBackup> answer = wait.result().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer.topic()).isEqualTo("answering.g1.holder.backups");
        }
    }

    @Test
    void aClientMadeAfterTheGrowthWritesTheNewTopicsFromItsFirstWrite() {
        Properties client = client("grown", TIMEOUT);
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        provision(client, GROWN);
        TopicGenerations.publish(operator, first, GROWN, TIMEOUT);

        try (KafkaGateway gateway = new KafkaGateway(client)) {
            RecordMetadata written = gateway.send(gateway.catalog().holderBackups(), holder, backup("first"));

            assertThat(written.topic()).isEqualTo("grown.g1.holder.backups");
            assertThat(written.partition()).isEqualTo(HolderKeys.partitionOf(holder, 12));
            assertThat(gateway.catalog().generation()).isEqualTo(GROWN);
        }
    }

    @Test
    void aRunningClientMovesToANewGenerationWithinTenSecondsWithoutBeingRefused() {
        Properties client = client("refreshed", TIMEOUT);
        TopicCatalog first = provision(client, new TopicGeneration(0, 6));
        provision(client, GROWN);
        try (KafkaGateway gateway = new KafkaGateway(client)) {
            assertThat(gateway.catalog().generation()).isEqualTo(new TopicGeneration(0, 6));
            TopicGenerations.publish(operator, first, GROWN, TIMEOUT);

            await("the catalogue of generation 1").atMost(Duration.ofSeconds(GenerationFollower.REFRESH_SECONDS + 5))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> gateway.catalog().generation().equals(GROWN));
            RecordMetadata written = gateway.send(gateway.catalog().holderBackups(), holder, backup("refreshed"));

            assertThat(written.topic()).as("the old topic is still open").isEqualTo("refreshed.g1.holder.backups");
        }
    }

    private static Properties client(String prefix, Duration timeout) {
        Properties properties = platform.clientProperties();
        properties.put(TopicCatalogConfig.TOPIC_PREFIX, prefix);
        properties.put(KafkaGateway.TIMEOUT_CONFIG, String.valueOf(timeout.toMillis()));
        return properties;
    }

    /** The platform topics (generation 0), or a later generation's holder-keyed topics, as the growth makes them. */
    private static TopicCatalog provision(Properties client, TopicGeneration generation) {
        Map<String, Object> configs = new HashMap<>();
        client.forEach((key, value) -> configs.put((String) key, value));
        TopicCatalog catalog = TopicCatalog.create(TopicGenerations.withGeneration(configs, generation));
        List<Topic<?, ?>> topics = generation.number() == 0 ? catalog.platformTopics()
                : List.copyOf(catalog.generationTopics());
        new TopicProvisioner(admin, TIMEOUT).provision(topics);
        return catalog;
    }

    /** Closes every holder-keyed topic of {@code catalog}'s generation, as a growth does before it copies them. */
    private static void close(TopicCatalog catalog) {
        Map<ConfigResource, Collection<AlterConfigOp>> closing = new HashMap<>();
        for (Topic<String, ?> topic : catalog.generationTopics()) {
            closing.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "0"), AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(closing).all().toCompletionStage().toCompletableFuture().join();
        // The controller has the change when the call returns; the broker applies it a moment later.
        await("the broker applying max.message.bytes=0").atMost(TIMEOUT).until(() -> admin.describeConfigs(
                closing.keySet()).all().toCompletionStage().toCompletableFuture().join().values().stream()
                .allMatch(config -> config.get("max.message.bytes").value().equals("0")));
    }

    private HolderBackup backup(String text) {
        return new HolderBackup(holder, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 1_000L);
    }

    private static String text(HolderBackup backup) {
        ByteBuffer bytes = backup.getBackup().duplicate();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    /** Every backup on the topic, all partitions read to their end, as text. */
    private static List<String> backupsOn(Topic<String, HolderBackup> topic) {
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic.name(), TIMEOUT),
                    TIMEOUT, record -> texts.add(text(topic.valueSerde().deserializer()
                            .deserialize(topic.name(), record.value()))));
        }
        return texts;
    }

    /** A call running on a thread of its own, whose stack shows where it is. */
    private record Running<T>(Thread thread, CompletableFuture<T> result) {
        boolean isIn(String method) {
            return Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
        }

        /** Whether {@code caller} is, right now, in a call of its own to {@code callee}. */
        boolean isCalling(String caller, String callee) {
            StackTraceElement[] frames = thread.getStackTrace();
            return IntStream.range(1, frames.length).anyMatch(i -> frames[i].getMethodName().equals(caller)
                    && frames[i - 1].getMethodName().equals(callee));
        }
    }

    private static <T> Running<T> inBackground(String name, Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return new Running<>(thread, result);
    }
}
