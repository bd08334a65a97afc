package io.idstream.it.attacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.ConnectLogin;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.idstream.it.attacks.SecurePlatformLogins.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Attack: the Connect worker of a secure platform ran as the operator's super user, so any connector on it (a webhook
 * sink given the wrong topic, or a plugin that misbehaves) could read every holder's inbox and write the directory;
 * and a webhook's signing secret, given in the connector's config, was stored in the config topic and shown in
 * clear by {@code GET /connectors/<name>/config}. The worker now logs in as {@code idstream-connect}, whose ACLs
 * reach its own topics and groups and the delivery topics only, and connector configs name their secrets through
 * Kafka's file config provider, so the REST API shows the placeholder; that provider reads only the connect secrets
 * directory, so a config cannot name the operator's own login file and have its password put in.
 */
@Timeout(240)
class ConnectPrincipalAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DELIVERIES = "idstream.deliveries.connect-attack";
    /** A delivery topic the worker's login is denied by name, to tell that login from any other at work. */
    private static final String DENIED_DELIVERIES = "idstream.deliveries.connect-attack-denied";
    /** The registry login the test's sinks carry: a consumer's own, as an operator gives a consumer's webhook. */
    private static final String CONSUMER = "connect-attack-consumer";
    private static final Pattern JAAS_USER = Pattern.compile("username=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static Path dataDir;
    static Platform platform;
    static String adminPassword;
    static String consumerPassword;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        dataDir = dir.resolve("data");
        platform = SecurePlatformLogins.start(dataDir,
                Map.of(PlatformConfig.CONNECT_ENABLED, true, PlatformConfig.CONNECT_PORT, 0));
        adminPassword = SecurePlatformLogins.adminPassword(dataDir);
        consumerPassword = newSecret();
        SecurePlatformLogins.addKafkaUser(platform, CONSUMER, consumerPassword);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(SecurePlatformLogins.trustingThePlatform(dataDir)).build();
        try (Admin admin = Admin.create(platform.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(DELIVERIES, 1, (short) 1),
                    new NewTopic(DENIED_DELIVERIES, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theWorkersOwnLoginCannotReadTheInboxOrWriteTheDirectoryButReadsDeliveries() throws Exception {
        Properties worker = SecurePlatformLogins.connectWorkerLogin(platform, dataDir);

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(worker),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition inbox = new TopicPartition(platform.catalog().holderInbox().name(), 0);
            consumer.assign(List.of(inbox));
            consumer.seekToBeginning(List.of(inbox));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(inbox.topic());

            TopicPartition deliveries = new TopicPartition(DELIVERIES, 0);
            consumer.assign(List.of(deliveries));
            assertThat(consumer.position(deliveries, Duration.ofSeconds(10))).as("position on " + DELIVERIES)
                    .isZero();
        }

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(worker),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            String directory = platform.catalog().directory().name();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(directory, "mallory".getBytes(),
                    new byte[] {0})).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(directory);
        }
    }

    /**
     * The login in the file is the one the running worker uses: a read denied to that user by name, on a delivery
     * topic the worker may otherwise read, makes a connector on it fail. The operator, a super user, is never
     * denied, and no other user is granted the delivery topics by prefix.
     */
    @Test
    void theRunningWorkerLogsInAsTheUserInItsLoginFile() throws Exception {
        Matcher user = JAAS_USER.matcher(SecurePlatformLogins.connectWorkerLogin(platform, dataDir)
                .getProperty(SaslConfigs.SASL_JAAS_CONFIG));
        assertThat(user.find()).as("a user name in " + ConnectLogin.file(dataDir)).isTrue();
        try (Admin admin = Admin.create(platform.clientProperties())) {
            admin.createAcls(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, DENIED_DELIVERIES, PatternType.LITERAL),
                    new AccessControlEntry(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user.group(1)).toString(),
                            "*", AclOperation.READ, AclPermissionType.DENY)))).all().get(30, TimeUnit.SECONDS);
        }

        HttpResponse<String> created = putConfig("denied-reader",
                webhookSink(DENIED_DELIVERIES, writeSecrets("denied-reader", newSecret())));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode task = status("denied-reader").path("tasks").path(0);
            assertThat(task.path("state").asText()).as("the task's state: %s", task).isEqualTo("FAILED");
            assertThat(task.path("trace").asText())
                    .contains("Not authorized to access topics: [" + DENIED_DELIVERIES + "]");
        });
    }

    /**
     * A connector config may name only files of the connect secrets directory: one naming the operator's own
     * login file is left unresolved, so the connector never holds the operator's password (here it would have
     * become the topic the sink reads, and the worker's refusal to read it would have shown it).
     */
    @Test
    void aConnectorConfigNamingTheOperatorsLoginFileIsNotResolved() throws Exception {
        String placeholder = "${file:" + AdminSecret.file(dataDir).toAbsolutePath() + ":idstream.admin.password}";
        Map<String, String> config = new HashMap<>(webhookSink(DELIVERIES, writeSecrets("admin-reader", newSecret())));
        config.put("topics", placeholder);

        HttpResponse<String> created = putConfig("admin-reader", config);
        assertThat(created.body()).doesNotContain(adminPassword);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode task = status("admin-reader").path("tasks").path(0);
            assertThat(task.path("state").asText()).as("the task's state: %s", task).isEqualTo("FAILED");
            assertThat(task.path("trace").asText()).doesNotContain(adminPassword).contains(placeholder);
        });
        for (String path : List.of("connectors/admin-reader/config", "connectors/admin-reader/status",
                "connectors/admin-reader/tasks")) {
            assertThat(send("GET", path, null).body()).as("GET " + path).doesNotContain(adminPassword);
        }
    }

    @Test
    void aConnectorPointedAtTheInboxFailsForWantOfRightsToReadIt() throws Exception {
        String inbox = platform.catalog().holderInbox().name();
        Map<String, String> config = new HashMap<>(webhookSink(inbox, writeSecrets("inbox-reader", newSecret())));
        // The secrets inline, so that this attack does not depend on the config provider.
        config.put("webhook.secret", newSecret());
        config.put("basic.auth.user.info", CONSUMER + ":" + consumerPassword);

        HttpResponse<String> created = putConfig("inbox-reader", config);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode task = status("inbox-reader").path("tasks").path(0);
            assertThat(task.path("state").asText()).as("the task's state: %s", task).isEqualTo("FAILED");
            assertThat(task.path("trace").asText()).contains("Not authorized to access topics: [" + inbox + "]");
        });
    }

    @Test
    void theRestApiShowsTheWebhookSecretsPlaceholderNeverTheSecret() throws Exception {
        String secret = newSecret();
        Path secrets = writeSecrets("webhook-attack", secret);
        Map<String, String> config = webhookSink(DELIVERIES, secrets);

        HttpResponse<String> created = putConfig("webhook-attack", config);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = status("webhook-attack");
            assertThat(status.path("connector").path("state").asText()).as("%s", status).isEqualTo("RUNNING");
            assertThat(status.path("tasks").path(0).path("state").asText()).as("%s", status).isEqualTo("RUNNING");
        });
        HttpResponse<String> shown = send("GET", "connectors/webhook-attack/config", null);
        assertThat(JSON.readTree(shown.body()).path("webhook.secret").asText())
                .isEqualTo("${file:" + secrets + ":webhook.secret}");
        for (String path : List.of("connectors/webhook-attack/config", "connectors/webhook-attack",
                "connectors?expand=info", "connectors/webhook-attack/tasks")) {
            HttpResponse<String> response = send("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as("GET " + path).doesNotContain(secret)
                    .doesNotContain(secret.substring("whsec_".length()));
        }
    }

    private static Properties consumerProperties(Properties login) {
        Properties properties = new Properties();
        properties.putAll(login);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    private static Properties producerProperties(Properties login) {
        Properties properties = new Properties();
        properties.putAll(login);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        return properties;
    }

    /** What the operator writes for a webhook sink: its secrets in a file of the secrets dir, mode 600. */
    private static Path writeSecrets(String connector, String secret) throws Exception {
        Path file = Platform.connectSecretsDir(dataDir).resolve(connector + ".properties");
        PrivateKeyFile.write(file, "webhook.secret=" + secret + "\nbasic.auth.user.info=" + CONSUMER + ":"
                + consumerPassword + "\n");
        return file;
    }

    private static Map<String, String> webhookSink(String topic, Path secrets) {
        return Map.of(
                "connector.class", "io.idstream.connectors.webhook.DeliveryWebhookSinkConnector",
                "topics", topic,
                "webhook.url", "http://127.0.0.1:9/hooks",
                "webhook.secret", "${file:" + secrets + ":webhook.secret}",
                "schema.registry.url", platform.schemaRegistryUrl(),
                "basic.auth.user.info", "${file:" + secrets + ":basic.auth.user.info}");
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static HttpResponse<String> putConfig(String connector, Map<String, String> config) throws Exception {
        return send("PUT", "connectors/" + connector + "/config", JSON.writeValueAsString(config));
    }

    private static JsonNode status(String connector) throws Exception {
        return JSON.readTree(send("GET", "connectors/" + connector + "/status", null).body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(platform.connectUrl().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", basic(AdminSecret.ADMIN_USER, adminPassword))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)).build();
        return http.send(request, BodyHandlers.ofString());
    }
}
