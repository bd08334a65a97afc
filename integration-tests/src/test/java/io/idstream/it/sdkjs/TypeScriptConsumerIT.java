package io.idstream.it.sdkjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.FieldCommitment;
import io.idstream.cli.IdstreamCommand;
import io.idstream.it.StoryClients;
import io.idstream.platform.Platform;
import io.idstream.processors.GuardedProcessor;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.sdk.webhook.WebhookHeaders;
import io.idstream.sdk.webhook.WebhookPayload;
import io.idstream.sdk.webhook.WebhookSecret;
import io.idstream.sdk.webhook.WebhookSignature;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TypeScript consumer SDK ({@code sdk-js/}, npm package {@code @idstream/consumer}) against the embedded platform:
 * a Java issuer and holder tell the story, and a Node.js consumer whose identity the CLI made and registered requests,
 * receives, verifies and decrypts exactly the fields the holder granted (read from Kafka, and POSTed as the webhook sink
 * sends it), refuses a delivery written to its topic by someone else with the check it failed, and verifies the
 * holder's revocation. The consumer is
 * {@code sdk-js/it/consumer-story.mjs} ({@link NodeDriver}); without Node.js or the built package the test reports
 * itself skipped, saying which.
 */
@Timeout(180)
class TypeScriptConsumerIT {
    private static final Duration WAIT = StoryClients.WAIT;
    private static final String CONSUMER = "ts-exchange";
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final Map<String, String> ISSUED = Map.of("age_over_18", "true", "country", "DE",
            "full_name", "Alice Example");

    @TempDir
    Path dir;

    @Test
    void aTypeScriptConsumerGetsExactlyTheGrantedFieldsRefusesAForgeryAndVerifiesTheRevocation() throws Exception {
        Optional<String> unavailable = NodeDriver.unavailable();
        assumeTrue(unavailable.isEmpty(), unavailable::orElseThrow);
        Path keys = dir.resolve("keys");
        try (Platform platform = StoryClients.startPlatform(dir.resolve("data"));
             IssuerClient issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"),
                     platform.clientProperties());
             HolderClient alice = StoryClients.holder(platform, Identity.create(keys, "alice", "holder"));
             OperatorClient operator = new OperatorClient(platform.operatorKey(), platform.clientProperties())) {
            // Given an accredited issuer that issued alice a credential of three fields, after her write grant.
            issuer.register("KYC Co");
            operator.accredit("kyc-co");
            alice.register("Alice");
            StoryClients.allowToWrite(alice, issuer, List.of("kyc"));
            alice.awaitCredential(issuer.issue("alice", "kyc", ISSUED, 0L), WAIT);
            // And a consumer whose keys the CLI made and registered, accredited by the operator.
            createIdentityWithTheCli(platform, keys);
            operator.accredit(CONSUMER);
            Topic<String, DeliveryEvent> deliveries = platform.catalog().deliveries(CONSUMER);
            StoryClients.awaitTopic(platform, deliveries.name());

            Map<String, Object> config = Map.of("bootstrap", platform.bootstrapServers(),
                    "registry", platform.schemaRegistryUrl(), "keys", keys.toString(), "consumerId", CONSUMER,
                    "operatorKey", HexFormat.of().formatHex(platform.operatorKey().publicKey()),
                    "groupId", CONSUMER + ".story", "expectedValues", ISSUED);
            String lastPosition;
            try (NodeDriver consumer = NodeDriver.start(config)) {
                consumer.await("the subscription", line -> line.path("event").asText().equals("subscribed"), WAIT);

                // When the TypeScript consumer asks for two of the three, and alice grants them.
                String requestId = consumer.request("alice", "kyc", List.of("age_over_18", "country"), "onboarding",
                        WAIT);
                alice.awaitPending(requestId, WAIT);
                String subject = platform.catalog().accessRequests().name() + "-value";
                SchemaRegistryClient registry = new SchemaRegistryClient(platform.schemaRegistryUrl());
                assertThat(registry.versions(subject)).as("the request's schema, registered by the TypeScript consumer")
                        .containsExactly(1);
                assertThat(registry.lookup(subject, AccessRequest.getClassSchema()).version())
                        .as("the Java clients' schema is the version it registered").isEqualTo(1);
                String grantId = alice.approve(requestId, new HolderClient.Scope(List.of("age_over_18", "country"),
                        Duration.ofDays(1), 5));

                // Then, once the processors delivered them, it verifies and decrypts exactly those two, as issued;
                // the third, committed to in the credential, is absent.
                try {
                    Awaitility.await("the processors' delivery of " + requestId).atMost(WAIT)
                            .pollInterval(Duration.ofMillis(200)).until(() -> StoryClients.readToEnd(
                                    platform.bootstrapServers(), deliveries).stream().anyMatch(record ->
                                    record.value().getEvent() instanceof CredentialDelivery delivery
                                            && delivery.getRequestId().equals(requestId)));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + "; the processors refused " + refusals(platform)
                            + "; alice's grants " + alice.activeGrants().keySet(), e);
                }
                JsonNode delivered = consumer.await("the delivery of " + requestId,
                        line -> isOutcome(line, requestId, "delivered"), WAIT);
                assertThat(delivered.path("grantId").asText()).isEqualTo(grantId);
                assertThat(NodeDriver.JSON.convertValue(delivered.path("values"), Map.class))
                        .as("the decrypted fields, each compared with the value issued")
                        .isEqualTo(Map.of("age_over_18", "as issued", "country", "as issued"));

                // When the webhook sink POSTs the same record (Standard Webhooks, the sink's body and signature),
                // then the client's receiver takes it as the same answer, verified and decrypted again; the same
                // POST again is a repeat, and one whose body was altered is refused.
                String position = delivered.path("position").asText();
                CredentialDelivery genuine = deliveryAt(platform, deliveries, position);
                String[] at = position.split("/");
                WebhookPayload payload = new WebhookPayload(at[0], Integer.parseInt(at[1]), Long.parseLong(at[2]),
                        "alice", new DeliveryEvent(genuine));
                String body = new String(payload.toJson(), StandardCharsets.UTF_8);
                WebhookHeaders signed = WebhookSignature.sign(WebhookSecret.parse(WEBHOOK_SECRET),
                        payload.webhookId(), Instant.now().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));
                Map<String, String> headers = Map.of("webhook-id", signed.id(), "webhook-timestamp",
                        signed.timestamp(), "webhook-signature", signed.signature());
                JsonNode posted = consumer.webhook(WEBHOOK_SECRET, headers, body, WAIT);
                assertThat(posted.path("outcome").path("kind").asText()).as(posted.toString()).isEqualTo("delivered");
                assertThat(NodeDriver.JSON.convertValue(posted.path("outcome").path("values"), Map.class))
                        .isEqualTo(Map.of("age_over_18", "as issued", "country", "as issued"));
                JsonNode repeated = consumer.webhook(WEBHOOK_SECRET, headers, body, WAIT);
                assertThat(repeated.path("rejected").asText()).as(repeated.toString()).isEqualTo("WebhookRepeatError");
                JsonNode tampered = consumer.webhook(WEBHOOK_SECRET, headers,
                        body.replace("\"key\":\"alice\"", "\"key\":\"mallory\""), WAIT);
                assertThat(tampered.path("rejected").asText()).as(tampered.toString())
                        .isEqualTo("WebhookRejectedError");

                // When someone else writes to its delivery topic: the genuine delivery relabelled as the answer to
                // another of its requests, and a copy with one byte of the issuer's signature altered.
                String openId = consumer.request("alice", "kyc", List.of("country"), "marketing", WAIT);
                assertThat(genuine.getCommitments()).as("the credential's fields, each committed to")
                        .extracting(FieldCommitment::getName).containsExactly("age_over_18", "country", "full_name");
                plant(platform, deliveries, CredentialDelivery.newBuilder(genuine).setRequestId(openId).build());
                byte[] signature = bytes(genuine.getIssuerSignature());
                signature[0] ^= 1;
                plant(platform, deliveries, CredentialDelivery.newBuilder(genuine)
                        .setIssuerSignature(ByteBuffer.wrap(signature)).build());

                // And a record that is not Avro at all.
                RecordMetadata poison = plantBytes(platform, deliveries, "not an avro record");

                // Then it refuses each, naming the check it failed; the record that does not decode by its position.
                JsonNode relabelled = consumer.await("the relabelled delivery's refusal",
                        line -> isOutcome(line, openId, "refused"), WAIT);
                assertThat(relabelled.path("check").asText()).as(relabelled.toString()).isEqualTo("UNSOLICITED");
                assertThat(relabelled.path("reason").asText()).isEqualTo("the delivery does not answer request "
                        + openId + ": its grant is for the purpose 'onboarding', the request's is 'marketing'");
                JsonNode altered = consumer.await("the altered delivery's refusal",
                        line -> isOutcome(line, requestId, "refused"), WAIT);
                assertThat(altered.path("check").asText()).as(altered.toString()).isEqualTo("ISSUER_SIGNATURE");
                String poisonAt = poison.topic() + "/" + poison.partition() + "/" + poison.offset();
                JsonNode undecodable = consumer.await("the refusal of the record at " + poisonAt,
                        line -> line.path("position").asText().equals(poisonAt)
                                && line.path("event").asText().equals("outcome"), WAIT);
                assertThat(undecodable.path("check").asText()).as(undecodable.toString()).isEqualTo("STRUCTURE");
                assertThat(undecodable.path("reason").asText()).isEqualTo("the record at " + poisonAt
                        + " is not in the Confluent wire format; skipped");

                // When alice revokes the grant, then it gets the notice, its signed revocation verified.
                alice.revoke(grantId);
                JsonNode revoked = consumer.await("the revocation of " + grantId,
                        line -> line.path("kind").asText().equals("notice")
                                && line.path("grantId").asText().equals(grantId), WAIT);
                assertThat(revoked.path("notice").asText()).as(revoked.toString()).isEqualTo("REVOKED");
                assertThat(revoked.path("holderId").asText()).isEqualTo("alice");
                assertThat(consumer.printed()).as("nothing else refused, and no other record skipped")
                        .filteredOn(line -> line.path("event").asText().equals("skipped")
                                && !line.path("position").asText().equals(poisonAt)
                                || line.path("event").asText().equals("failed")
                                || isOutcome(line, requestId, "refused") && line != altered)
                        .isEmpty();
                lastPosition = revoked.path("position").asText();
            }

            // When the consumer starts again in the same group, then it resumes after what it was handed: the first
            // outcome it reads is the answer to its new request.
            try (NodeDriver restarted = NodeDriver.start(config)) {
                restarted.await("the subscription", line -> line.path("event").asText().equals("subscribed"), WAIT);
                String again = restarted.request("alice", "kyc", List.of("country"), "onboarding", WAIT);
                JsonNode first = restarted.await("an outcome after the restart",
                        line -> line.path("event").asText().equals("outcome"), WAIT);
                assertThat(first.path("requestId").asText()).as("%s, read after %s", first, lastPosition)
                        .isEqualTo(again);
            }
        }
    }

    /** What the processors refused, by reason and detail: for a failure's message. */
    private static List<String> refusals(Platform platform) {
        return StoryClients.readToEnd(platform.bootstrapServers(), platform.catalog().rejected()).stream()
                .map(record -> header(record, GuardedProcessor.REASON_HEADER) + ": "
                        + header(record, GuardedProcessor.DETAIL_HEADER)).toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static boolean isOutcome(JsonNode line, String requestId, String kind) {
        return line.path("event").asText().equals("outcome") && line.path("requestId").asText().equals(requestId)
                && line.path("kind").asText().equals(kind);
    }

    /** {@code idstream identity create --role consumer}: keys in {@code keys}, registered in the directory. */
    private static void createIdentityWithTheCli(Platform platform, Path keys) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = IdstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute("identity", "create", "--role", "consumer", "--id", CONSUMER,
                "--bootstrap-servers", platform.bootstrapServers(),
                "--schema-registry-url", platform.schemaRegistryUrl(), "--keys", keys.toString());
        assertThat(exitCode).as("identity create: stdout %s, stderr %s", out, err).isZero();
    }

    private static CredentialDelivery deliveryAt(Platform platform, Topic<String, DeliveryEvent> topic,
                                                 String position) {
        return StoryClients.readToEnd(platform.bootstrapServers(), topic).stream()
                .filter(record -> position.equals(record.topic() + "/" + record.partition() + "/" + record.offset()))
                .map(ConsumerRecord::value).map(DeliveryEvent::getEvent).map(CredentialDelivery.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no delivery at " + position));
    }

    /** Writes a record to the consumer's delivery topic, in alice's partition, as any producer can. */
    private static void plant(Platform platform, Topic<String, DeliveryEvent> topic, CredentialDelivery delivery)
            throws Exception {
        try (KafkaProducer<String, DeliveryEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), HolderKeys.partitionOf("alice", topic.partitions()),
                    "alice", new DeliveryEvent(delivery))).get();
        }
    }

    /** Writes bytes that are not a record of any schema to the topic, in alice's partition. */
    private static RecordMetadata plantBytes(Platform platform, Topic<String, DeliveryEvent> topic, String text)
            throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), HolderKeys.partitionOf("alice",
                    topic.partitions()), "alice", text)).get();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
