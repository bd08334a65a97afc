package io.idstream.it.confluent;

import io.idstream.it.StoryClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.platform.Platform;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.Party;
import io.idstream.processors.RejectReason;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.serde.WireFormat;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Confluent's own Python client (Debian's {@code python3-confluent-kafka}, with fastavro for its Avro serdes) against
 * the embedded platform after a whole story: it decodes every record of every idstream topic with
 * {@code AvroDeserializer} and no reader schema, exactly as Java reads them; reads the rejected topic as raw bytes
 * with the reason in headers; registers schemas and tests their compatibility; and writes a record with
 * {@code AvroSerializer} that Java reads back and the processors verify, while it decodes one that Java wrote. The
 * script is {@code src/test/python/confluent_interop.py}; without the module the tests report themselves skipped.
 */
@Timeout(300)
class ConfluentPythonClientInteropIT {
    @TempDir
    static Path dir;

    private static Optional<String> unavailable;
    private static Platform platform;
    private static Story story;

    @BeforeAll
    static void runAStoryOnThePlatform() throws Exception {
        unavailable = PythonClient.unavailable();
        if (unavailable.isEmpty()) {
            platform = StoryClients.startPlatform(dir.resolve("data"));
            story = Story.run(platform, dir.resolve("keys"));
        }
    }

    /** Each test, not the class, is skipped without the client: so the report counts them and gives the reason. */
    @BeforeEach
    void needsThePythonClient() {
        assumeTrue(unavailable.isEmpty(), unavailable::get);
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void decodesEveryRecordOfEveryTopicWithoutAReaderSchema() throws Exception {
        TopicCatalog catalog = platform.catalog();
        List<Topic<?, ?>> raw = List.of(catalog.rejected(), catalog.schemas());
        List<Topic<?, ?>> avro = new ArrayList<>(catalog.platformTopics());
        avro.removeAll(raw);
        // Written only by a partition growth, which this story does not make; its records are text, not Avro.
        avro.removeIf(topic -> topic.name().equals(catalog.generations().name()));
        avro.add(catalog.deliveries(Story.CONSUMER));
        List<Topic<?, ?>> all = new ArrayList<>(avro);
        all.addAll(raw);
        Map<TopicPartition, Long> ends = TopicLines.endOffsets(platform, all);

        PythonClient.Run run = PythonClient.call("decode", Map.of("bootstrap", platform.bootstrapServers(),
                "registry", platform.schemaRegistryUrl(), "avro", partitions(avro, ends), "raw",
                partitions(raw, ends)));

        List<JsonNode> python = new ArrayList<>(run.lines("record"));
        python.addAll(run.lines("raw"));
        List<JsonNode> undecodable = run.lines("undecodable");
        undecodable.forEach(line -> python.add(((ObjectNode) line.deepCopy()).without("error")));
        for (Topic<?, ?> topic : all) {
            List<JsonNode> java = TopicLines.read(platform, topic, ends, avro.contains(topic));
            assertThat(java).as("the story left records on " + topic).isNotEmpty();
            assertThat(python.stream().filter(line -> line.path("topic").asText().equals(topic.name())))
                    .as("what the Python client read on %s; its errors there: %s; its stderr: %s", topic,
                            undecodable.stream().filter(line -> line.path("topic").asText().equals(topic.name()))
                                    .map(line -> line.path("error").asText()).distinct().toList(), run.stderr())
                    .containsExactlyInAnyOrderElementsOf(java);
        }
        assertThat(undecodable).as("the poison record, the one record that is not Avro").singleElement()
                .satisfies(line -> {
                    assertThat(position(line)).isEqualTo(position(story.poison));
                    assertThat(line.path("error").asText()).contains("magic byte");
                });
        assertThat(run.lines("raw")).as("the poison record on the rejected topic, as raw bytes")
                .filteredOn(line -> line.path("topic").asText().equals(catalog.rejected().name()))
                .anySatisfy(line -> {
                    assertThat(line.path("value").asText()).isEqualTo(HexFormat.of().formatHex(Story.POISON));
                    assertThat(line.path("headers").path(GuardedProcessor.REASON_HEADER).asText())
                            .isEqualTo(RejectReason.NOT_AVRO.code());
                    assertThat(line.path("headers").path(GuardedProcessor.SOURCE_TOPIC_HEADER).asText())
                            .isEqualTo(story.poison.topic());
                    assertThat(line.path("headers").path(GuardedProcessor.SOURCE_OFFSET_HEADER).asText())
                            .isEqualTo(Long.toString(story.poison.offset()));
                });
    }

    @Test
    void registersSchemasAndTestsTheirCompatibility() throws Exception {
        String subject = WireFormat.subject(platform.catalog().directory().name(), false);
        String fresh = "interop-compatibility-value";
        SchemaRegistryClient registry = new SchemaRegistryClient(platform.schemaRegistryUrl());
        int javaId = registry.lookup(subject, DirectoryEvent.getClassSchema()).id();

        Map<String, JsonNode> checks = new LinkedHashMap<>();
        PythonClient.call("compatibility", Map.of("registry", platform.schemaRegistryUrl(), "subject", subject,
                "fresh_subject", fresh)).lines("check").forEach(line -> checks.put(line.path("name").asText(),
                line.path("value")));

        assertThat(checks.get("latest schema").path("id").asInt()).as("the schema Java registered")
                .isEqualTo(javaId);
        assertThat(checks.get("compatible change").asBoolean()).as("a field with a default").isTrue();
        assertThat(checks.get("breaking change").asBoolean()).as("a field without a default").isFalse();
        assertThat(checks.get("register as is").asInt()).as("the same schema keeps its id").isEqualTo(javaId);
        int compatibleId = checks.get("register compatible").asInt();
        assertThat(compatibleId).isNotEqualTo(javaId);
        assertThat(checks.get("register breaking")).as("the registry refuses the breaking change")
                .isEqualTo(PythonClient.JSON.readTree("{\"http_status\": 409, \"error_code\": 409}"));
        assertThat(checks.get("versions")).isEqualTo(PythonClient.JSON.readTree("[1, 2]"));
        assertThat(checks.get("breaking against fresh").asBoolean()).isFalse();
        Schema latest = new Schema.Parser().parse(registry.version(fresh, "latest").schema());
        assertThat(registry.version(fresh, "latest").id()).isEqualTo(compatibleId);
        assertThat(latest.getField("note")).as("the field Python added").isNotNull()
                .satisfies(field -> assertThat(field.hasDefaultValue()).isTrue());
    }

    @Test
    void writesARecordThatJavaReadsAndReadsOneThatJavaWrote() throws Exception {
        Topic<String, DirectoryEvent> directory = platform.catalog().directory();
        DirectoryEvent fromPython = new DirectoryEvent(new Party("py-written", "holder")
                .registration(System.currentTimeMillis()));
        DirectoryEvent fromJava = new DirectoryEvent(new Party("java-written", "holder")
                .registration(System.currentTimeMillis()));

        JsonNode produced = PythonClient.call("produce", Map.of("bootstrap", platform.bootstrapServers(),
                "registry", platform.schemaRegistryUrl(), "topic", directory.name(), "key", "py-written",
                "value", AvroJson.encoded(fromPython))).lines("produced").get(0);
        RecordMetadata written;
        try (KafkaProducer<String, DirectoryEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), directory.valueSerde().serializer())) {
            written = producer.send(new ProducerRecord<>(directory.name(), "java-written", fromJava)).get();
        }

        ConsumerRecord<String, DirectoryEvent> read = readAt(directory, produced.path("partition").asInt(),
                produced.path("offset").asLong());
        assertThat(read.key()).isEqualTo("py-written");
        assertThat(read.value()).as("what Python wrote, read by Java's serde").isEqualTo(fromPython);
        assertThat(WireFormat.readSchemaId(directory.name(), ByteBuffer.wrap(HexFormat.of().parseHex(
                produced.path("value").asText())))).as("the schema id Java writes under the topic's subject")
                .isEqualTo(new SchemaRegistryClient(platform.schemaRegistryUrl()).lookup(
                        WireFormat.subject(directory.name(), false), DirectoryEvent.getClassSchema()).id());
        Awaitility.await("the processors verify the registration Python wrote").atMost(Story.WAIT)
                .pollInterval(Duration.ofMillis(200)).until(() -> verified("py-written").isPresent());
        assertThat(verified("py-written")).get().extracting(VerifiedPrincipal::getPrincipal)
                .isEqualTo(fromPython.getEvent());

        PythonClient.Run decoded = PythonClient.call("decode", Map.of("bootstrap", platform.bootstrapServers(),
                "registry", platform.schemaRegistryUrl(), "raw", List.of(), "avro", List.of(Map.of("topic",
                        directory.name(), "partition", written.partition(), "end", written.offset() + 1))));
        assertThat(decoded.lines("record")).as("what Java wrote, decoded by Python")
                .filteredOn(line -> position(line).equals(position(written))).singleElement()
                .satisfies(line -> assertThat(line.path("value")).isEqualTo(AvroJson.plain(fromJava)));
    }

    private static List<Map<String, Object>> partitions(List<Topic<?, ?>> topics, Map<TopicPartition, Long> ends) {
        List<String> names = topics.stream().map(Topic::name).toList();
        return ends.entrySet().stream().filter(e -> names.contains(e.getKey().topic()))
                .map(e -> Map.<String, Object>of("topic", e.getKey().topic(), "partition", e.getKey().partition(),
                        "end", e.getValue())).toList();
    }

    private static String position(JsonNode line) {
        return line.path("topic").asText() + "/" + line.path("partition").asInt() + "/" + line.path("offset").asLong();
    }

    private static String position(RecordMetadata metadata) {
        return metadata.topic() + "/" + metadata.partition() + "/" + metadata.offset();
    }

    private static ConsumerRecord<String, DirectoryEvent> readAt(Topic<String, DirectoryEvent> topic, int partition,
                                                                 long offset) {
        List<ConsumerRecord<String, DirectoryEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, DirectoryEvent> consumer = consumer(topic)) {
            PartitionReader.readToEnd(consumer, List.of(new TopicPartition(topic.name(), partition)), Story.WAIT,
                    records::add);
        }
        return records.stream().filter(r -> r.offset() == offset).findFirst()
                .orElseThrow(() -> new AssertionError("no record at " + topic + "/" + partition + "/" + offset));
    }

    private static Optional<VerifiedPrincipal> verified(String id) {
        Topic<String, VerifiedPrincipal> topic = platform.catalog().directoryVerified();
        List<ConsumerRecord<String, VerifiedPrincipal>> records = new ArrayList<>();
        try (KafkaConsumer<String, VerifiedPrincipal> consumer = consumer(topic)) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic.name(), Story.WAIT),
                    Story.WAIT, records::add);
        }
        return records.stream().filter(r -> id.equals(r.key()) && r.value() != null)
                .map(ConsumerRecord::value).reduce((first, second) -> second);
    }

    private static <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), topic.valueSerde().deserializer());
    }
}
