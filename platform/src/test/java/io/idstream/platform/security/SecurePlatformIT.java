package io.idstream.platform.security;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.AclPolicy;
import io.idstream.topics.ScramLogins;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secure platform (SASL/SCRAM, StandardAuthorizer) with ACLs derived from the catalogue: each principal does
 * what its role allows and is refused the rest; an unauthenticated client gets nothing.
 */
@Timeout(180)
class SecurePlatformIT {
    @TempDir
    static Path dir;
    static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir.resolve("data")));
        settings.put(PlatformConfig.SECURE, true);
        platform = Platform.start(new PlatformConfig(settings));
        try (Admin admin = Admin.create(adminConfigs())) {
            AclPolicy policy = new AclPolicy(platform.catalog());
            for (String[] principal : new String[][] {{"kyc-co", "issuer"}, {"exchange-a", "consumer"},
                    {"app-b", "consumer"}}) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(principal[0],
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), principal[0] + "-secret")))
                        .all().get();
                admin.createAcls(policy.bindingsFor(principal[0], principal[1])).all().get();
            }
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(
                    platform.catalog().deliveries("exchange-a"), platform.catalog().deliveries("app-b")));
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void adminSecretIsPrivate() throws Exception {
        Path secret = io.idstream.platform.AdminSecret.file(dir.resolve("data"));
        assertThat(Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void consumerReadsItsOwnDeliveriesAndNotAnothers() {
        assertThat(poll("exchange-a", platform.catalog().deliveries("exchange-a").name(), "exchange-a.app"))
                .as("its own topic").isNull();
        assertThat(poll("app-b", platform.catalog().deliveries("exchange-a").name(), "app-b.app"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(poll("exchange-a", platform.catalog().accessRequests().name(), "exchange-a.app"))
                .as("the raw requests of everyone").isInstanceOf(TopicAuthorizationException.class);
        assertThat(poll("exchange-a", platform.catalog().holderInbox().name(), "exchange-a.app"))
                .as("the holders' inbox").isInstanceOf(TopicAuthorizationException.class);
        assertThat(poll("exchange-a", platform.catalog().deliveries("exchange-a").name(), "exchange-ab.app"))
                .as("a group not named after it").isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void issuerWritesIssuanceButNotDecisions() throws Exception {
        send("kyc-co", platform.catalog().credentialsIssued().name());
        assertThatThrownBy(() -> send("kyc-co", platform.catalog().accessDecisions().name()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        send("exchange-a", platform.catalog().accessRequests().name());
        assertThatThrownBy(() -> send("exchange-a", platform.catalog().accessDecisions().name()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void unauthenticatedClientsAreRefused() {
        Map<String, Object> anonymous = new HashMap<>();
        anonymous.put("bootstrap.servers", platform.bootstrapServers());
        anonymous.put("request.timeout.ms", 3000);
        anonymous.put("default.api.timeout.ms", 5000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get()).isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> wrongPassword = new HashMap<>(user("exchange-a"));
        wrongPassword.put("sasl.jaas.config", ScramLogins.jaas("exchange-a", "guessed"));
        wrongPassword.put("request.timeout.ms", 3000);
        wrongPassword.put("default.api.timeout.ms", 5000);
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static Map<String, Object> adminConfigs() {
        Map<String, Object> configs = new HashMap<>(platform.clientProperties().entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), Map.Entry::getValue)));
        configs.keySet().retainAll(AdminClientConfig.configNames());
        return configs;
    }

    private static Map<String, Object> user(String id) {
        Map<String, Object> configs = new HashMap<>();
        configs.put("bootstrap.servers", platform.bootstrapServers());
        configs.put("security.protocol", "SASL_PLAINTEXT");
        configs.put("sasl.mechanism", "SCRAM-SHA-512");
        configs.put("sasl.jaas.config", ScramLogins.jaas(id, id + "-secret"));
        return configs;
    }

    /** Polls the topic as the user; returns the failure, or null when reading was allowed. */
    private static Exception poll(String id, String topic, String group) {
        Map<String, Object> configs = user(id);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
                if (!consumer.assignment().isEmpty()) {
                    return null;
                }
            }
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static void send(String id, String topic) throws Exception {
        Map<String, Object> configs = user(id);
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(configs, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "alice".getBytes(), new byte[] {1})).get();
        }
    }
}
