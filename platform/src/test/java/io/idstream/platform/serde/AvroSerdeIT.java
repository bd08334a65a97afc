package io.idstream.platform.serde;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.FieldCommitment;
import io.idstream.avro.GrantTerms;
import io.idstream.avro.NoticeKind;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.serde.SpecificAvroDeserializer;
import io.idstream.schemas.serde.SpecificAvroSerializer;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicProvisioner;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records go through a real broker and the embedded registry and come back equal; the bytes on the topic are the
 * Confluent wire format, readable by any client that follows it with plain Avro and the registry's REST API.
 */
@Timeout(120)
class AvroSerdeIT {
    @TempDir
    static Path dataDir;
    static Platform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void deliveryEventsRoundTripThroughBrokerAndRegistry() throws Exception {
        Topic<String, DeliveryEvent> topic = platform.catalog().deliveries("exchange-a");
        provision(topic);
        DeliveryEvent delivery = new DeliveryEvent(sampleDelivery());
        DeliveryEvent notice = new DeliveryEvent(ConsumerNotice.newBuilder().setKind(NoticeKind.PENDING)
                .setConsumerId("exchange-a").setHolderId("alice").setRequestId("2b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10")
                .setGrantId("").setCredentialId("").setReason("waiting for the holder").setAt(1_700_000_000_500L)
                .build());

        produce(topic, "alice", delivery, notice);
        List<DeliveryEvent> received = consume(topic, 2);

        assertThat(received).containsExactly(delivery, notice);
    }

    @Test
    void bytesOnTheTopicAreTheConfluentWireFormat() throws Exception {
        Topic<String, DeliveryEvent> topic = platform.catalog().deliveries("app-b");
        provision(topic);
        produce(topic, "alice", new DeliveryEvent(sampleDelivery()));

        byte[] value = consumeRaw(topic.name(), 1).get(0);
        SchemaRegistryClient registry = new SchemaRegistryClient(platform.schemaRegistryUrl());
        int registeredId = registry.version(topic.name() + "-value", "latest").id();
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.get()).isEqualTo((byte) 0);
        assertThat(buffer.getInt()).isEqualTo(registeredId);

        // What a Confluent deserializer does: resolve the id over REST, read the body with plain Avro.
        Schema writer = new Schema.Parser().parse(registry.schemaById(registeredId).toString());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        GenericRecord event = (GenericRecord) decoded.get("event");
        assertThat(event.get("requestId").toString()).isEqualTo("2b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10");
        assertThat(((GenericRecord) event.get("grant")).get("maxUses")).isEqualTo(5);
    }

    @Test
    void readsRecordsWrittenWithAnOlderCompatibleSchema() throws Exception {
        String topic = "serde-evolution";
        // An older AccessAudit that carried one more field; today's reader drops it and reads the rest.
        Schema older = SchemaBuilder.record("AccessAudit").namespace("io.idstream.avro").fields()
                .requiredString("holderId").requiredString("consumerId").requiredString("credentialId")
                .requiredString("requestId").requiredString("grantId")
                .name("fields").type().array().items().stringType().noDefault()
                .requiredString("purpose")
                .name("outcome").type().enumeration("AuditOutcome").symbols("UNKNOWN", "DELIVERED", "PENDING")
                .enumDefault("UNKNOWN")
                .requiredLong("at")
                .requiredString("legacyNote")
                .endRecord();
        SchemaRegistryClient registry = new SchemaRegistryClient(platform.schemaRegistryUrl());
        int olderId = registry.register(topic + "-value", older);

        GenericRecord record = new GenericData.Record(older);
        record.put("holderId", "alice");
        record.put("consumerId", "exchange-a");
        record.put("credentialId", "c");
        record.put("requestId", "r");
        record.put("grantId", "g");
        record.put("fields", List.of("country"));
        record.put("purpose", "onboarding");
        record.put("outcome", new GenericData.EnumSymbol(older.getField("outcome").schema(), "DELIVERED"));
        record.put("at", 42L);
        record.put("legacyNote", "dropped by newer readers");
        byte[] bytes = wireFormat(olderId, older, record);

        SpecificAvroDeserializer<AccessAudit> deserializer = new SpecificAvroDeserializer<>(AccessAudit.class);
        deserializer.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        AccessAudit audit = deserializer.deserialize(topic, bytes);

        assertThat(audit.getHolderId()).isEqualTo("alice");
        assertThat(audit.getOutcome()).isEqualTo(AuditOutcome.DELIVERED);
        assertThat(audit.getFields()).containsExactly("country");
        assertThat(audit.getAt()).isEqualTo(42L);
    }

    @Test
    void badBytesFailWithTheReason() {
        SpecificAvroDeserializer<AccessAudit> deserializer = new SpecificAvroDeserializer<>(AccessAudit.class);
        deserializer.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);

        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0x7f, (byte) 0xff, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 32767").hasMessageContaining("40403");

        SpecificAvroSerializer<AccessAudit> serializer = new SpecificAvroSerializer<>(AccessAudit.class);
        serializer.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        AccessAudit audit = AccessAudit.newBuilder().setHolderId("alice").setConsumerId("exchange-a")
                .setCredentialId("").setRequestId("").setGrantId("").setFields(List.of()).setPurpose("")
                .setOutcome(AuditOutcome.PENDING).setAt(1L).build();
        byte[] whole = serializer.serialize("serde-truncation", audit);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> deserializer.deserialize("serde-truncation", truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not decode as AccessAudit");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSubjectIsNamed() {
        SpecificAvroSerializer<AccessAudit> serializer = new SpecificAvroSerializer<>(AccessAudit.class);
        serializer.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl(),
                "auto.register.schemas", false), false);
        AccessAudit audit = AccessAudit.newBuilder().setHolderId("alice").setConsumerId("exchange-a")
                .setCredentialId("").setRequestId("").setGrantId("").setFields(List.of()).setPurpose("")
                .setOutcome(AuditOutcome.PENDING).setAt(1L).build();
        assertThatThrownBy(() -> serializer.serialize("never-registered", audit))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("never-registered-value").hasMessageContaining("40401");
    }

    static CredentialDelivery sampleDelivery() {
        return CredentialDelivery.newBuilder()
                .setRequestId("2b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10")
                .setConsumerId("exchange-a").setHolderId("alice").setIssuerId("kyc-co")
                .setCredentialId("6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b").setType("kyc")
                .setIssuedAt(1_700_000_000_000L).setExpiresAt(0L)
                .setCommitments(List.of(
                        new FieldCommitment("age_over_18", bytes(32, 1)),
                        new FieldCommitment("country", bytes(32, 2))))
                .setDisclosed(List.of(new DisclosedField("country", bytes(46, 3))))
                .setIssuerSignature(bytes(64, 4))
                .setGrant(GrantTerms.newBuilder().setGrantId("9e8d7c6b-5a49-4837-8261-5f4e3d2c1b0a")
                        .setRequestId("2b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10").setPurpose("onboarding")
                        .setFields(List.of("country")).setNotBefore(1_700_000_000_000L)
                        .setExpiresAt(1_702_592_000_000L).setMaxUses(5)
                        .setKeysEnc(bytes(32, 5)).setKeysCiphertext(bytes(56, 6)).setHolderSignature(bytes(64, 7))
                        .build())
                .setDeliveredAt(1_700_000_000_400L)
                .build();
    }

    private static ByteBuffer bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return ByteBuffer.wrap(bytes);
    }

    private static byte[] wireFormat(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static void provision(Topic<?, ?> topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(topic));
        }
    }

    @SafeVarargs
    private static <V> void produce(Topic<String, V> topic, String key, V... values) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                new StringSerializer(), topic.valueSerde().serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
            }
        }
    }

    private static <V> List<V> consume(Topic<String, V> topic, int count) {
        List<V> values = new ArrayList<>();
        readUntil(topic.name(), topic.valueSerde().deserializer(), count).forEach(r -> values.add(r.value()));
        return values;
    }

    private static List<byte[]> consumeRaw(String topic, int count) {
        List<byte[]> values = new ArrayList<>();
        readUntil(topic, new ByteArrayDeserializer(), count).forEach(r -> values.add(r.value()));
        return values;
    }

    private static <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> deserializer,
                                                                int count) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < count && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s", topic).hasSize(count);
        return records;
    }
}
