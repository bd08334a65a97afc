package io.idstream.connectors.webhook;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.FieldCommitment;
import io.idstream.avro.GrantTerms;
import io.idstream.avro.NoticeKind;
import io.idstream.connectors.webhook.LocalEndpoint.Answer;
import io.idstream.connectors.webhook.LocalEndpoint.Request;
import io.idstream.connectors.webhook.RecordingSinkTaskContext.DeadLetter;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.SpecificAvroSerializer;
import io.idstream.sdk.webhook.WebhookPayload;
import io.idstream.sdk.webhook.WebhookReceiver;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink task's fate for each record, driven directly (Connect's side is {@link RecordingSinkTaskContext}) against
 * an endpoint on 127.0.0.1 that answers as each test needs: what may succeed later is handed back to Connect with a
 * {@link RetriableException} and POSTed again, never dead-lettered; a redirect and a record that is no delivery event
 * go to the errant record reporter, and a redirect's target is never called.
 */
@Timeout(60)
class DeliveryWebhookSinkTaskTest {
    static final String TOPIC = "idstream.deliveries.exchange-a";
    static final long BACKOFF_MS = 50;

    final String registryUrl = LocalSchemaRegistry.URL_SCHEME + "sink-task-test-" + UUID.randomUUID();
    final RecordingSinkTaskContext context = new RecordingSinkTaskContext();
    final DeliveryWebhookSinkTask task = new DeliveryWebhookSinkTask();
    final WebhookReceiver receiver = new WebhookReceiver(DeliveryWebhookSinkConfigTest.SECRET);
    LocalEndpoint endpoint;

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = LocalEndpoint.start();
    }

    @AfterEach
    void stop() {
        task.stop();
        endpoint.close();
        LocalSchemaRegistry.drop(registryUrl);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {408, 429, 503})
    void aTransientStatusIsRetriedAndTheSameRecordPostedAgain(int status) {
        startTask(endpoint.hookUrl(), 10_000);
        DeliveryEvent event = delivery("r-1");
        List<SinkRecord> batch = List.of(record(0, bytesOf(event)));
        endpoint.answerNext(Answer.status(status));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessage("webhook POST of " + TOPIC + "/0/0 failed: HTTP " + status + ": answered " + status);
        assertThat(context.deadLetters()).as("not dead-lettered").isEmpty();
        assertThat(context.timeouts()).as("the backoff asked of Connect").containsExactly(BACKOFF_MS);

        // Connect hands the same batch back once the backoff is over.
        task.put(batch);

        assertPostedTwiceThenDelivered(event, status);
    }

    @Test
    void aPostThatTimesOutIsRetriedAndTheSameRecordPostedAgain() {
        // The held POST uses the whole timeout; it is long enough that the answered retry never runs out of it.
        startTask(endpoint.hookUrl(), 2_000);
        DeliveryEvent event = delivery("r-1");
        List<SinkRecord> batch = List.of(record(0, bytesOf(event)));
        endpoint.answerNext(Answer.hang());

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessageStartingWith("webhook POST of " + TOPIC + "/0/0 failed: HttpTimeoutException");
        assertThat(context.deadLetters()).as("not dead-lettered").isEmpty();
        assertThat(context.timeouts()).containsExactly(BACKOFF_MS);

        task.put(batch);

        assertPostedTwiceThenDelivered(event, 0);
    }

    @Test
    void aRefusedConnectionIsRetriedAndTheRecordPostedOnceTheEndpointListens() throws IOException {
        int port = endpoint.port();
        URI url = endpoint.hookUrl();
        endpoint.close();
        startTask(url, 10_000);
        DeliveryEvent event = delivery("r-1");
        List<SinkRecord> batch = List.of(record(0, bytesOf(event)));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessageStartingWith("webhook POST of " + TOPIC + "/0/0 failed: ConnectException");
        assertThat(context.deadLetters()).as("not dead-lettered").isEmpty();
        assertThat(context.timeouts()).containsExactly(BACKOFF_MS);

        endpoint = LocalEndpoint.startOn(port);
        task.put(batch);

        assertThat(endpoint.requests()).singleElement().satisfies(post -> assertDelivered(post, event));
        assertThat(context.deadLetters()).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsDeadLetteredAndItsLocationNeverRequested(int status) {
        startTask(endpoint.hookUrl(), 10_000);
        endpoint.answerNext(Answer.redirect(status, endpoint.url("/elsewhere").toString()));
        SinkRecord record = record(0, bytesOf(delivery("r-1")));

        task.put(List.of(record));

        assertThat(context.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.record()).isSameAs(record);
            assertThat(letter.error()).isInstanceOf(WebhookDeliveryException.class)
                    .hasMessage("the webhook refused the delivery: HTTP " + status + ": answered " + status);
        });
        // put() returns after the client's last request is answered: a followed redirect would be listed here.
        assertThat(endpoint.requests()).extracting(Request::path).as("the Location is never requested")
                .containsExactly(LocalEndpoint.HOOK_PATH);
        assertThat(context.timeouts()).as("not retried").isEmpty();
    }

    @Test
    void recordsThatAreNoDeliveryEventAreDeadLetteredAndTheDeliveryBehindThemIsPosted() {
        startTask(endpoint.hookUrl(), 10_000);
        ConsumerNotice bareNotice = new ConsumerNotice(NoticeKind.REVOKED, "exchange-a", "alice", "", "g-1", "c-1",
                "revoked by the holder", 5L, null);
        DeliveryEvent event = delivery("r-4");
        List<SinkRecord> batch = List.of(
                record(0, "not avro".getBytes(StandardCharsets.UTF_8)),
                record(1, serialize(ConsumerNotice.class, bareNotice)),
                record(2, null),
                record(3, bytesOf(event)));

        task.put(batch);

        List<DeadLetter> letters = context.deadLetters();
        assertThat(letters).extracting(letter -> letter.record().kafkaOffset()).containsExactly(0L, 1L, 2L);
        assertThat(letters).extracting(DeadLetter::error).allSatisfy(error -> assertThat(error)
                .isInstanceOf(WebhookDeliveryException.class));
        assertThat(letters.get(0).error()).hasMessage("not a delivery event: record on topic " + TOPIC
                + " starts with byte 0x6e, not the Confluent wire-format magic byte 0x00");
        assertThat(letters.get(1).error()).hasMessageStartingWith("not a delivery event: record on topic " + TOPIC
                + " with schema id ").hasMessageContaining("does not decode as DeliveryEvent");
        assertThat(letters.get(2).error()).hasMessage("a record without a value is no delivery event");
        assertThat(endpoint.requests()).as("only the delivery is POSTed").singleElement()
                .satisfies(post -> {
                    WebhookPayload payload = receiver.receive(post.headers(), post.body());
                    assertThat(payload.offset()).isEqualTo(3L);
                    assertThat(payload.event()).isEqualTo(event);
                });
        assertThat(context.timeouts()).as("not retried").isEmpty();
    }

    private void assertPostedTwiceThenDelivered(DeliveryEvent event, int firstStatus) {
        List<Request> posts = endpoint.requests();
        assertThat(posts).hasSize(2).allSatisfy(post -> {
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo(LocalEndpoint.HOOK_PATH);
        });
        assertThat(posts).extracting(Request::answeredStatus).containsExactly(firstStatus, 200);
        assertThat(posts.get(1).headers().id()).as("the same record again").isEqualTo(posts.get(0).headers().id());
        assertDelivered(posts.get(1), event);
        assertThat(context.deadLetters()).as("not dead-lettered").isEmpty();
    }

    private void assertDelivered(Request post, DeliveryEvent event) {
        WebhookPayload payload = receiver.receive(post.headers(), post.body());
        assertThat(payload.id()).isEqualTo(TOPIC + "/0/0");
        assertThat(payload.key()).isEqualTo("alice");
        assertThat(payload.event()).isEqualTo(event);
    }

    private void startTask(URI url, int timeoutMs) {
        task.initialize(context);
        task.start(Map.of(
                DeliveryWebhookSinkConfig.TOPICS, TOPIC,
                DeliveryWebhookSinkConfig.WEBHOOK_URL, url.toString(),
                DeliveryWebhookSinkConfig.WEBHOOK_SECRET, DeliveryWebhookSinkConfigTest.SECRET,
                DeliveryWebhookSinkConfig.WEBHOOK_TIMEOUT_MS, Integer.toString(timeoutMs),
                DeliveryWebhookSinkConfig.MAX_RETRIES, "3",
                DeliveryWebhookSinkConfig.RETRY_BACKOFF_MS, Long.toString(BACKOFF_MS),
                DeliveryWebhookSinkConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    private static SinkRecord record(long offset, byte[] value) {
        return new SinkRecord(TOPIC, 0, Schema.BYTES_SCHEMA, "alice".getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA, value, offset);
    }

    private byte[] bytesOf(DeliveryEvent event) {
        return serialize(DeliveryEvent.class, event);
    }

    /** The record in the Confluent wire format, its schema registered in the task's registry, as processors write. */
    private <T extends SpecificRecord> byte[] serialize(Class<T> type, T value) {
        try (SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>(type)) {
            serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            return serializer.serialize(TOPIC, value);
        }
    }

    private static DeliveryEvent delivery(String requestId) {
        return new DeliveryEvent(new CredentialDelivery(requestId, "exchange-a", "alice", "kyc-co", "c-1", "kyc", 1L,
                0L, List.of(new FieldCommitment("country", ByteBuffer.wrap(new byte[32]))),
                List.of(new DisclosedField("country", ByteBuffer.wrap(new byte[] {1, 2, 3}))),
                ByteBuffer.wrap(new byte[64]),
                new GrantTerms("g-1", requestId, "onboarding", 0L, List.of("country"), 0L, 0L, 5,
                        ByteBuffer.wrap(new byte[32]), ByteBuffer.wrap(new byte[48]), ByteBuffer.wrap(new byte[64])),
                9L));
    }
}
