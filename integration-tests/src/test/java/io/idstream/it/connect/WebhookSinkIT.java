package io.idstream.it.connect;

import io.idstream.it.StoryClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.KafkaGateway;
import io.idstream.sdk.OperatorClient;
import io.idstream.sdk.webhook.WebhookPayload;
import io.idstream.sdk.webhook.WebhookReceiver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook sink, packaged as operators get it (the plugin zip, unpacked into plugin.path), on the platform's
 * real Connect worker and broker, POSTing to a local endpoint: one POST per record, signed so that the SDK's
 * receiver accepts it and the consumer verifies and decrypts it; a 503 retried; a 400 and a record that keeps
 * failing dead-lettered without blocking those behind; a restart that resumes from the committed offsets.
 *
 * <p>Both tests run on one platform, each with a consumer, a delivery topic, a connector and an endpoint of its own;
 * the restart test stops that platform and starts it again on the same data, in whichever order the tests run.
 */
@Timeout(300)
class WebhookSinkIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    /** The connectors' configs (and their schema.registry.url) outlive a restart: the registry keeps its port. */
    static int registryPort;
    static Platform platform;

    @BeforeAll
    static void startThePlatform() {
        registryPort = Ports.freePort();
        platform = start(dir.resolve("data"), registryPort);
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void postsSignedDeliveriesRetries503AndDeadLetters400() throws Exception {
        try (WebhookReceiverServer endpoint = new WebhookReceiverServer();
             Story story = new Story(platform, dir.resolve("keys"), "exchange-w")) {
            String dlq = "exchange-w.webhook.dlq";
            createConnector(platform, "webhook-exchange-w", story.deliveryTopic(), endpoint.url(), dlq);
            WebhookReceiver receiver = new WebhookReceiver(SECRET);

            String first = story.request();
            WebhookReceiverServer.Post post = endpoint.next(WAIT);
            WebhookPayload payload = receiver.receive(post.headers(), post.body());
            assertThat(payload.event().getEvent().toString()).contains(first);
            assertThat(payload.id()).isEqualTo(post.deliveryId()).startsWith(story.deliveryTopic() + "/");
            DeliveryOutcome outcome = receiver.receive(post.headers(), post.body(), story.consumer);
            assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                    d -> assertThat(d.values()).containsExactly(Map.entry("country", "DE")));
            assertThat(new String(post.body(), StandardCharsets.UTF_8)).as("still encrypted")
                    .doesNotContain("\"DE\"").contains("\"ciphertext\"");

            endpoint.answerNext(503);
            String second = story.request();
            WebhookReceiverServer.Post refused = endpoint.next(WAIT);
            WebhookReceiverServer.Post retried = endpoint.next(WAIT);
            assertThat(refused.answeredStatus()).isEqualTo(503);
            assertThat(retried.deliveryId()).isEqualTo(refused.deliveryId());
            // The endpoint verified the refused POST but could not store it (hence its 503): the retry is handed on
            // again, and the consumer takes it as the same answer.
            assertThatThrownBy(() -> receiver.receive(refused.headers(), refused.body(), story.consumer, delivered -> {
                throw new IllegalStateException("the endpoint's database is down");
            })).isInstanceOf(IllegalStateException.class);
            List<DeliveryOutcome> stored = new ArrayList<>();
            assertThat(receiver.receive(retried.headers(), retried.body(), story.consumer, stored::add))
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.requestId()).isEqualTo(second));
            assertThat(stored).as("stored by the endpoint").singleElement()
                    .isInstanceOf(DeliveryOutcome.Delivered.class);

            endpoint.answerNext(400);
            story.request();
            WebhookReceiverServer.Post badRequest = endpoint.next(WAIT);
            endpoint.answerNext(503, 503, 503, 503);
            story.request();
            List<WebhookReceiverServer.Post> failing = List.of(endpoint.next(WAIT), endpoint.next(WAIT),
                    endpoint.next(WAIT), endpoint.next(WAIT));
            String fifth = story.request();
            WebhookReceiverServer.Post after = endpoint.next(WAIT);

            assertThat(badRequest.answeredStatus()).isEqualTo(400);
            assertThat(failing).extracting(WebhookReceiverServer.Post::deliveryId).containsOnly(
                    failing.get(0).deliveryId());
            assertThat(receiver.receive(after.headers(), after.body(), story.consumer))
                    .as("the records behind the failing ones still go")
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.requestId()).isEqualTo(fifth));

            Map<String, String> deadLetters = readDeadLetters(platform, dlq, 2);
            assertThat(deadLetters).hasSize(2);
            assertThat(deadLetters.get(badRequest.deliveryId())).contains("HTTP 400");
            assertThat(deadLetters.get(failing.get(0).deliveryId())).contains("gave up after 3 retries", "HTTP 503");
            assertThat(endpoint.all()).as("every POST, answered").hasSize(1 + 2 + 1 + 4 + 1);
        }
    }

    @Test
    void restartResumesFromCommittedOffsets() throws Exception {
        Path keys = dir.resolve("keys");
        Set<String> beforeRestart;
        try (WebhookReceiverServer endpoint = new WebhookReceiverServer()) {
            String topic;
            try (Story story = new Story(platform, keys, "exchange-r")) {
                topic = story.deliveryTopic();
                createConnector(platform, "webhook-exchange-r", topic, endpoint.url(), "exchange-r.webhook.dlq");
                story.request();
                story.request();
                endpoint.next(WAIT);
                endpoint.next(WAIT);
                beforeRestart = ids(endpoint.all());
            }
            platform.close();
            platform = null;
            platform = start(dir.resolve("data"), registryPort);
            try (Story story = Story.resume(platform, keys, "exchange-r")) {
                String third = story.request();
                WebhookReceiverServer.Post post = endpoint.next(WAIT);
                assertThat(new WebhookReceiver(SECRET).receive(post.headers(), post.body(), story.consumer))
                        .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                                d -> assertThat(d.requestId()).isEqualTo(third));
                assertThat(beforeRestart).hasSize(2);
                // Same partition (keyed by holder), in order: a replay of the first two would have come first.
                assertThat(endpoint.all()).as("no record POSTed again after the restart").hasSize(3);
                assertThat(ids(endpoint.all())).hasSize(3).containsAll(beforeRestart);
                assertThat(post.deliveryId()).startsWith(topic + "/");
            }
        }
    }

    private static Set<String> ids(List<WebhookReceiverServer.Post> posts) {
        return posts.stream().map(WebhookReceiverServer.Post::deliveryId).collect(Collectors.toSet());
    }

    private static Platform start(Path data, int registryPort) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PlatformConfig.DATA_DIR, data.toString());
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freePort());
        settings.put(PlatformConfig.REGISTRY_PORT, registryPort);
        settings.put(PlatformConfig.CONNECT_ENABLED, true);
        settings.put(PlatformConfig.CONNECT_PORT, 0);
        settings.put(PlatformConfig.CONNECT_PLUGIN_PATH, Path.of("target", "connect-plugins").toString());
        settings.putAll(StoryClients.gatewaySettings());
        return Platform.start(new PlatformConfig(settings));
    }

    private static void createConnector(Platform platform, String name, String topic, URI webhook, String dlq)
            throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.idstream.connectors.webhook.DeliveryWebhookSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("webhook.url", webhook.toString());
        config.put("webhook.secret", SECRET);
        config.put("webhook.timeout.ms", "5000");
        config.put("max.retries", "3");
        config.put("retry.backoff.ms", "200");
        config.put("schema.registry.url", platform.schemaRegistryUrl());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(platform.connectUrl()
                        .resolve("/connectors/" + name + "/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        HttpRequest status = HttpRequest.newBuilder(platform.connectUrl().resolve("/connectors/" + name + "/status"))
                .GET().build();
        Awaitility.await("connector " + name + " running its one task").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> response = http.send(status, HttpResponse.BodyHandlers.ofString());
                    JsonNode tasks = response.statusCode() == 200 ? JSON.readTree(response.body()).path("tasks")
                            : JSON.missingNode();
                    return tasks.size() == 1 && tasks.get(0).path("state").asText().equals("RUNNING");
                });
    }

    /** The dead-letter topic's records: the body's id of each (topic/partition/offset) to its error message. */
    private static Map<String, String> readDeadLetters(Platform platform, String topic, int expected) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "test-dlq-reader");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> letters = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String id = header(record, "__connect.errors.topic") + "/"
                            + header(record, "__connect.errors.partition") + "/"
                            + header(record, "__connect.errors.offset");
                    letters.put(id, header(record, "__connect.errors.exception.message"));
                }
            }
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An issuer, a holder with a credential, and a consumer with a standing grant on it, through the SDK. */
    static final class Story implements AutoCloseable {
        final IssuerClient issuer;
        final HolderClient holder;
        final ConsumerClient consumer;
        private final String holderId;
        private final String deliveryTopic;

        private Story(Platform platform, Path keys, String consumerId, boolean create) {
            Properties client = platform.clientProperties();
            client.put(KafkaGateway.TIMEOUT_CONFIG, "30000");
            holderId = consumerId + "-holder";
            deliveryTopic = platform.catalog().deliveries(consumerId).name();
            String issuerId = consumerId + "-issuer";
            issuer = new IssuerClient(create ? Identity.create(keys, issuerId, "issuer")
                    : Identity.load(keys, issuerId), client);
            holder = StoryClients.holder(platform, create ? Identity.create(keys, holderId, "holder")
                    : Identity.load(keys, holderId));
            consumer = new ConsumerClient(create ? Identity.create(keys, consumerId, "consumer")
                    : Identity.load(keys, consumerId), client);
            if (create) {
                issuer.register("Issuer");
                try (OperatorClient operator = new OperatorClient(platform.operatorKey(), client)) {
                    operator.accredit(issuerId);
                }
                holder.register("Holder");
                StoryClients.allowToWrite(holder, issuer, List.of("kyc"));
                consumer.register("Consumer");
                try (OperatorClient operator = new OperatorClient(platform.operatorKey(), client)) {
                    operator.accredit(consumerId);
                }
                String credentialId = issuer.issue(holderId, "kyc", Map.of("country", "DE", "full_name",
                        "Alice Example"), 0L);
                holder.awaitCredential(credentialId, WAIT);
                String grantId = holder.grant(consumerId, credentialId, "onboarding",
                        new HolderClient.Scope(List.of("country"), Duration.ofDays(1), 100));
                awaitTopic(platform, deliveryTopic());
                Awaitility.await("grant " + grantId + " active").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> holder.activeGrants().containsKey(grantId));
            }
        }

        Story(Platform platform, Path keys, String consumerId) {
            this(platform, keys, consumerId, true);
        }

        static Story resume(Platform platform, Path keys, String consumerId) {
            return new Story(platform, keys, consumerId, false);
        }

        String deliveryTopic() {
            return deliveryTopic;
        }

        /** A request the standing grant answers at once; returns its id. */
        String request() {
            return consumer.request(holderId, "kyc", List.of("country"), "onboarding");
        }

        private static void awaitTopic(Platform platform, String topic) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()))) {
                Awaitility.await("topic " + topic + " created").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> admin.listTopics().names().get().contains(topic));
            }
        }

        @Override
        public void close() {
            issuer.close();
            holder.close();
            consumer.close();
        }
    }
}
