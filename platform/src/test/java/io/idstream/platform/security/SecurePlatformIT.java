package io.idstream.platform.security;

import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.AclPolicy;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.ScramLogins;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The secure platform (SASL/SCRAM, StandardAuthorizer) with ACLs derived from the catalogue: each principal does
 * what its role allows, proven by a record read back, and is refused the rest with the broker's own authorization
 * or authentication error, which an unreachable broker never gives.
 */
@Timeout(180)
class SecurePlatformIT {
    private static final Duration READ_WAIT = Duration.ofSeconds(20);

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
            for (String[] principal : new String[][] {{"kyc-co", "issuer"}, {"bank-co", "issuer"},
                    {"exchange-a", "consumer"}, {"app-b", "consumer"}}) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(principal[0],
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), principal[0] + "-secret")))
                        .all().get();
                admin.createAcls(policy.bindingsFor(principal[0], principal[1])).all().get();
            }
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(
                    platform.catalog().deliveries("exchange-a"), platform.catalog().deliveries("app-b"),
                    platform.catalog().issuerNotices("kyc-co"), platform.catalog().issuerNotices("bank-co")));
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void adminSecretIsPrivate() throws Exception {
        Path secret = AdminSecret.file(dir.resolve("data"));
        assertThat(Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aConsumerReadsTheRecordOnItsOwnDeliveryTopic() throws Exception {
        // Given a record the platform wrote to exchange-a's delivery topic
        String topic = platform.catalog().deliveries("exchange-a").name();
        String key = "alice-" + UUID.randomUUID();
        String value = "delivery-" + UUID.randomUUID();
        write(adminConfigs(), topic, key, value);

        // When exchange-a reads its topic in a group named after it
        List<ConsumerRecord<String, String>> read = readAs(user("exchange-a"), topic, "exchange-a.app");

        // Then it has that record, and nothing else
        assertThat(read).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactly(tuple(key, value));
    }

    @Test
    void aConsumerIsRefusedAnotherConsumersDeliveries() {
        String topic = platform.catalog().deliveries("exchange-a").name();

        assertThatExceptionOfType(TopicAuthorizationException.class)
                .isThrownBy(() -> readAs(user("app-b"), topic, "app-b.app"))
                .satisfies(refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
    }

    @Test
    void anIssuerReadsItsOwnNoticesAndIsRefusedAnotherIssuers() throws Exception {
        String own = platform.catalog().issuerNotices("kyc-co").name();
        String key = "alice-" + UUID.randomUUID();
        String value = "notice-" + UUID.randomUUID();
        write(adminConfigs(), own, key, value);

        List<ConsumerRecord<String, String>> read = readAs(user("kyc-co"), own, "kyc-co.app");

        assertThat(read).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactly(tuple(key, value));
        String another = platform.catalog().issuerNotices("bank-co").name();
        assertThatExceptionOfType(TopicAuthorizationException.class)
                .isThrownBy(() -> readAs(user("kyc-co"), another, "kyc-co.app"))
                .satisfies(refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(another));
    }

    @Test
    void noIssuerOrConsumerReadsTheSealedKeyBackups() {
        String topic = platform.catalog().holderBackups().name();

        for (String principal : List.of("kyc-co", "exchange-a")) {
            assertThatExceptionOfType(TopicAuthorizationException.class)
                    .isThrownBy(() -> readAs(user(principal), topic, principal + ".app"))
                    .satisfies(refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
        }
    }

    @Test
    void aConsumerIsRefusedTheRawRequestsOfEveryone() {
        String topic = platform.catalog().accessRequests().name();

        assertThatExceptionOfType(TopicAuthorizationException.class)
                .isThrownBy(() -> readAs(user("exchange-a"), topic, "exchange-a.app"))
                .satisfies(refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
    }

    @Test
    void aConsumerIsRefusedTheHoldersInbox() {
        String topic = platform.catalog().holderInbox().name();

        assertThatExceptionOfType(TopicAuthorizationException.class)
                .isThrownBy(() -> readAs(user("exchange-a"), topic, "exchange-a.app"))
                .satisfies(refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
    }

    @Test
    void aConsumerIsRefusedAGroupNotNamedAfterIt() {
        // "exchange-ab.app" starts with "exchange-a" but not with "exchange-a.": another principal's prefix.
        assertThatExceptionOfType(GroupAuthorizationException.class)
                .isThrownBy(() -> readAs(user("exchange-a"), platform.catalog().deliveries("exchange-a").name(),
                        "exchange-ab.app"))
                .satisfies(refusal -> assertThat(refusal.groupId()).isEqualTo("exchange-ab.app"));
    }

    @Test
    void anIssuerWritesIssuanceAndAConsumerWritesRequests() throws Exception {
        String issuance = platform.catalog().credentialsIssued().name();
        String requests = platform.catalog().accessRequests().name();
        String issued = "issued-" + UUID.randomUUID();
        String requested = "requested-" + UUID.randomUUID();

        write(user("kyc-co"), issuance, "alice", issued);
        write(user("exchange-a"), requests, "alice", requested);

        assertThat(readToEndAsAdmin(issuance)).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .contains(tuple("alice", issued));
        assertThat(readToEndAsAdmin(requests)).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .contains(tuple("alice", requested));
    }

    @Test
    void anIssuerIsRefusedWritingDecisions() {
        String topic = platform.catalog().accessDecisions().name();

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> write(user("kyc-co"), topic, "alice", "a forged decision"))
                .havingCause().isInstanceOfSatisfying(TopicAuthorizationException.class,
                        refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
    }

    @Test
    void aConsumerIsRefusedWritingDecisions() {
        String topic = platform.catalog().accessDecisions().name();

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> write(user("exchange-a"), topic, "alice", "a forged decision"))
                .havingCause().isInstanceOfSatisfying(TopicAuthorizationException.class,
                        refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
    }

    /**
     * On a deployment of its own prefix, so that the generation written here moves no other test's topics: each
     * participant reads the generation the operator published, and is refused writing one of its own, which would
     * send every client to topics of its choosing.
     */
    @Test
    void participantsReadTheGenerationInUseAndAreRefusedWritingOne() throws Exception {
        TopicCatalog catalog = TopicCatalog.create(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "grown"));
        try (Admin admin = Admin.create(adminConfigs())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(catalog.generations()));
            AclPolicy policy = new AclPolicy(catalog);
            admin.createAcls(policy.bindingsFor("kyc-co", "issuer")).all().get();
            admin.createAcls(policy.bindingsFor("exchange-a", "consumer")).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(adminConfigs(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            TopicGenerations.publish(producer, catalog, new TopicGeneration(1, 12), READ_WAIT);
        }
        String topic = catalog.generations().name();

        for (String participant : List.of("kyc-co", "exchange-a")) {
            Map<String, Object> configs = user(participant);
            configs.put(TopicCatalogConfig.TOPIC_PREFIX, "grown");
            assertThat(TopicGenerations.current(configs, READ_WAIT)).as(participant)
                    .isEqualTo(new TopicGeneration(1, 12));
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> write(user(participant), topic, "current",
                            "{\"generation\":2,\"partitions\":24}"))
                    .havingCause().isInstanceOfSatisfying(TopicAuthorizationException.class,
                            refusal -> assertThat(refusal.unauthorizedTopics()).containsExactly(topic));
        }
    }

    @Test
    void aConsumerCannotGrantItselfAnAcl() {
        AclBinding readTheInbox = new AclBinding(new ResourcePattern(ResourceType.TOPIC,
                platform.catalog().holderInbox().name(), PatternType.LITERAL),
                new AccessControlEntry("User:exchange-a", "*", AclOperation.READ, AclPermissionType.ALLOW));

        try (Admin admin = Admin.create(adminClient(user("exchange-a")))) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.createAcls(List.of(readTheInbox)).all().get())
                    .havingCause().isInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        Map<String, Object> wrongPassword = user("exchange-a", "guessed");

        try (Admin admin = Admin.create(adminClient(wrongPassword))) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.listTopics().names().get())
                    .havingCause().isInstanceOf(SaslAuthenticationException.class)
                    .withMessageContaining("invalid credentials");
        }
    }

    @Test
    void anUnknownUserFailsAuthentication() {
        try (Admin admin = Admin.create(adminClient(user("mallory", "mallory-secret")))) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.listTopics().names().get())
                    .havingCause().isInstanceOf(SaslAuthenticationException.class)
                    .withMessageContaining("invalid credentials");
        }
    }

    /**
     * What the refusals above would see if the broker were simply not there: a timeout, never an authorization or
     * authentication error, so none of them can pass on a platform that is down.
     */
    @Test
    void anUnreachableBrokerGivesATimeoutNotARefusal() {
        String nobodyListens = "127.0.0.1:" + Ports.freePort();
        Map<String, Object> wrongPassword = user("exchange-a", "guessed");
        wrongPassword.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nobodyListens);
        Map<String, Object> appB = user("app-b");
        appB.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nobodyListens);

        // Nothing listens, so nothing can answer however long a client waits: the timeouts are short.
        Map<String, Object> giveUpSooner = adminClient(wrongPassword);
        giveUpSooner.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        giveUpSooner.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(giveUpSooner)) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.listTopics().names().get())
                    .havingCause().isInstanceOf(TimeoutException.class);
        }
        assertThatExceptionOfType(ConditionTimeoutException.class).isThrownBy(() -> readAs(appB,
                platform.catalog().deliveries("exchange-a").name(), "app-b.app", Duration.ofSeconds(2)));
    }

    private static Map<String, Object> adminConfigs() {
        Map<String, Object> configs = new HashMap<>(platform.clientProperties().entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), Map.Entry::getValue)));
        configs.keySet().retainAll(AdminClientConfig.configNames());
        return configs;
    }

    private static Map<String, Object> user(String id) {
        return user(id, id + "-secret");
    }

    private static Map<String, Object> user(String id, String password) {
        // The platform's transport (SASL_SSL, its CA) with this user's login.
        Map<String, Object> configs = adminConfigs();
        configs.put("sasl.mechanism", ScramLogins.MECHANISM);
        configs.put("sasl.jaas.config", ScramLogins.jaas(id, password));
        return configs;
    }

    /** An admin client that gives up within seconds, so that a refusal and a timeout both come back quickly. */
    private static Map<String, Object> adminClient(Map<String, Object> user) {
        Map<String, Object> configs = new HashMap<>(user);
        configs.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return configs;
    }

    private static List<ConsumerRecord<String, String>> readAs(Map<String, Object> user, String topic,
                                                               String group) {
        return readAs(user, topic, group, READ_WAIT);
    }

    /**
     * Subscribes to the topic in the group and polls until records arrive: returns them; a refusal comes out of
     * {@code poll} as the broker's error, and no records within {@code wait} as a {@link ConditionTimeoutException}.
     */
    private static List<ConsumerRecord<String, String>> readAs(Map<String, Object> user, String topic, String group,
                                                               Duration wait) {
        Map<String, Object> configs = new HashMap<>(user);
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("records of " + topic + " in group " + group).atMost(wait).pollInSameThread()
                    .pollDelay(Duration.ZERO).until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                        return !read.isEmpty();
                    });
        }
        return read;
    }

    /** Every record of the topic up to its end offsets, read by the platform's super user. */
    private static List<ConsumerRecord<String, String>> readToEndAsAdmin(String topic) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(adminConfigs(), new StringDeserializer(),
                new StringDeserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic, READ_WAIT), READ_WAIT,
                    read::add);
        }
        return read;
    }

    private static void write(Map<String, Object> user, String topic, String key, String value) throws Exception {
        Map<String, Object> configs = new HashMap<>(user);
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(configs, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
