package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.GatewayStores;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Attack: the holder gateway faces the internet, so whoever takes it over holds its Kafka login. Had it run as the
 * operator's super user, that login could publish a forged principal to the verified directory, issue credentials,
 * send access requests, or read every consumer's deliveries. It logs in as {@code idstream-gateway}, whose ACLs let
 * it write only what holders send through it (registrations and signed decisions, which the processors check again)
 * and read only the holder-facing topics; the gateway the platform runs works under that login alone.
 */
@Timeout(180)
class GatewayPrincipalAttackIT {
    private static final String CONSUMER = "gateway-attack-consumer";
    private static final String GATEWAY_APPLICATION = (String) GatewayConfig.DEFINITION.defaultValues()
            .get(GatewayConfig.APPLICATION_ID);

    @TempDir
    static Path dir;
    static Path dataDir;
    static Platform platform;
    static String deliveries;

    @BeforeAll
    static void start() throws Exception {
        dataDir = dir.resolve("data");
        platform = SecurePlatformLogins.start(dataDir,
                Map.of(PlatformConfig.GATEWAY_ENABLED, true, PlatformConfig.GATEWAY_PORT, 0));
        deliveries = platform.catalog().deliveries(CONSUMER).name();
        try (Admin admin = Admin.create(platform.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(deliveries, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theGatewaysLoginCannotPublishToTheVerifiedDirectory() throws Exception {
        String verified = platform.catalog().directoryVerified().name();

        assertWriteRefused(verified);
    }

    @Test
    void theGatewaysLoginCannotIssueRequestOrDeliver() throws Exception {
        assertWriteRefused(platform.catalog().credentialsIssued().name());
        assertWriteRefused(platform.catalog().accessRequests().name());
        assertWriteRefused(deliveries);
    }

    @Test
    void theGatewaysLoginCannotReadAConsumersDeliveries() throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = gatewayConsumer()) {
            TopicPartition partition = new TopicPartition(deliveries, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));

            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(deliveries);
        }
    }

    /** What holders send through the gateway reaches the topics the processors check it on. */
    @Test
    void theGatewaysLoginWritesDecisionsAndRegistrations() throws Exception {
        String decisions = platform.catalog().accessDecisions().name();
        String directory = platform.catalog().directory().name();
        byte[] key = "gateway-attack-holder".getBytes(StandardCharsets.UTF_8);

        RecordMetadata decision;
        RecordMetadata registration;
        try (KafkaProducer<byte[], byte[]> producer = gatewayProducer()) {
            decision = producer.send(new ProducerRecord<>(decisions, key, new byte[] {1}))
                    .get(30, TimeUnit.SECONDS);
            registration = producer.send(new ProducerRecord<>(directory, key, new byte[] {2}))
                    .get(30, TimeUnit.SECONDS);
        }

        // Read back by the gateway itself for the decisions it keeps grants from, by the operator for the directory.
        assertThat(readAt(gatewayConsumer(), decision)).isEqualTo(new byte[] {1});
        assertThat(readAt(new KafkaConsumer<>(consumerProperties(platform.clientProperties()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()), registration)).isEqualTo(new byte[] {2});
    }

    /**
     * The gateway the platform runs keeps a holder's inbox under that login alone: a request written to the inbox
     * reaches its store's changelog, which takes its transactions, its internal topics and its changelog's schema.
     */
    @Test
    void thePlatformsGatewayKeepsAHoldersInboxUnderItsOwnLogin() throws Exception {
        String holder = "gateway-attack-holder";
        String requestId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        PendingRequest pending = new PendingRequest(new AccessRequest(requestId, CONSUMER, holder, "kyc", "",
                "onboarding", now, List.of("country"), ByteBuffer.wrap(new byte[64])), "Gateway Attack Consumer",
                false, "credential-1", "kyc", "kyc-co", now, now + Duration.ofDays(1).toMillis());
        Topic<String, InboxEvent> inbox = platform.catalog().holderInbox();
        try (KafkaProducer<String, InboxEvent> producer = new KafkaProducer<>(
                kafkaSettings(platform.clientProperties()), inbox.keySerde().serializer(),
                inbox.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(inbox.name(), holder, new InboxEvent(pending)))
                    .get(30, TimeUnit.SECONDS);
        }

        String changelog = GATEWAY_APPLICATION + "-" + GatewayStores.INBOX + "-changelog";
        Properties operator = consumerProperties(platform.clientProperties());
        operator.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(operator, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(changelog, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(changelog, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            List<String> keys = new ArrayList<>();
            await("the inbox entry in " + changelog).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                reader.poll(Duration.ofMillis(500)).forEach(record -> keys.add(record.key()));
                assertThat(keys).contains(HolderKeys.of(holder, requestId));
            });
        }
    }

    private static void assertWriteRefused(String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = gatewayProducer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic,
                    "mallory".getBytes(StandardCharsets.UTF_8), new byte[] {0})).get(30, TimeUnit.SECONDS))
                    .as("a write to " + topic)
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(topic);
        }
    }

    /** The value of the record at {@code written}'s offset, read by {@code consumer}, which is then closed. */
    private static byte[] readAt(KafkaConsumer<byte[], byte[]> consumer, RecordMetadata written) {
        try (consumer) {
            TopicPartition partition = new TopicPartition(written.topic(), written.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            List<byte[]> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).records(partition).forEach(record -> values.add(record.value()));
                return !values.isEmpty();
            });
            return values.get(0);
        }
    }

    private static KafkaProducer<byte[], byte[]> gatewayProducer() throws Exception {
        return SecurePlatformLogins.gatewayProducer(platform, dataDir);
    }

    private static KafkaConsumer<byte[], byte[]> gatewayConsumer() throws Exception {
        return new KafkaConsumer<>(consumerProperties(SecurePlatformLogins.gatewayLogin(platform, dataDir)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Properties consumerProperties(Properties login) {
        Properties properties = kafkaSettings(login);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    /** A client's Kafka settings alone, without the registry's and idstream's. */
    private static Properties kafkaSettings(Properties login) {
        Properties properties = new Properties();
        login.forEach((key, value) -> {
            if (!String.valueOf(key).startsWith("schema.registry") && !String.valueOf(key).startsWith("basic.auth")
                    && !String.valueOf(key).startsWith("idstream.")) {
                properties.put(key, value);
            }
        });
        return properties;
    }
}
