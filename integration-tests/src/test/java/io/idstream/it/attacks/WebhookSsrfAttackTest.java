package io.idstream.it.attacks;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.connectors.webhook.DeliveryWebhookSinkConfig;
import io.idstream.connectors.webhook.DeliveryWebhookSinkTask;
import io.idstream.connectors.webhook.HostResolver;
import io.idstream.connectors.webhook.RecordingSinkTaskContext;
import io.idstream.connectors.webhook.WebhookDeliveryException;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.SpecificAvroSerializer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attack: whoever chooses a consumer's webhook URL points the sink at the platform's own network (server-side
 * request forgery). A host name that resolves to a loopback address when the connector starts and to another
 * address when it connects (DNS rebinding) would carry plain HTTP off the host; an https URL of the cloud metadata
 * service or a private range would reach internal services; an endpoint that answers 100 MB would have the sink
 * read all of it into memory. Defence: the address rule is applied to the address each connection actually goes
 * to, private addresses need {@code webhook.allow.private.addresses=true}, and the task reads at most 64 KiB of an
 * answer (docs/webhook.md, "Where the sink may connect").
 */
@Timeout(60)
class WebhookSsrfAttackTest {
    static final String TOPIC = "idstream.deliveries.exchange-ssrf";
    static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** 64 KiB read, plus what the kernel's socket buffers on both sides take in before the client closes. */
    static final long READ_BOUND = 16L * 1024 * 1024;

    final String registryUrl = LocalSchemaRegistry.URL_SCHEME + "ssrf-attack-" + UUID.randomUUID();
    final RecordingSinkTaskContext deadLetters = new RecordingSinkTaskContext();
    final List<DeliveryWebhookSinkTask> tasks = new ArrayList<>();

    @AfterEach
    void stop() {
        tasks.forEach(DeliveryWebhookSinkTask::stop);
        LocalSchemaRegistry.drop(registryUrl);
    }

    @Test
    void aNameThatRebindsFromLoopbackToAnotherAddressIsRefusedAtTheConnectionItWouldMake() throws Exception {
        try (RawHttpEndpoint endpoint = RawHttpEndpoint.answering(200)) {
            // Given a name that resolves to 127.0.0.1 at the connector's start and at its first POST, then to
            // 0.0.0.0, which is no loopback address but which Linux connects to this very host.
            RebindingResolver resolver = new RebindingResolver("hook.rebind.test", 2,
                    InetAddress.getByName("127.0.0.1"), InetAddress.getByName("0.0.0.0"));
            DeliveryWebhookSinkTask task = start(resolver, "http://hook.rebind.test:" + endpoint.port() + "/hook",
                    Map.of());

            // When two deliveries go out, the second after the name moved.
            task.put(List.of(record(0), record(1)));

            // Then the first is POSTed, the second refused before any connection and dead-lettered, saying why.
            assertThat(resolver.lookups()).as("the name is resolved for each connection").isEqualTo(3);
            assertThat(endpoint.connections()).as("only the first delivery reached a socket").isEqualTo(1);
            assertThat(deadLetters.deadLetters().stream().map(letter -> letter.record().kafkaOffset()).toList()).containsExactly(1L);
            assertThat(errorsOf(deadLetters)).singleElement(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("hook.rebind.test resolves to 0.0.0.0")
                    .hasMessageContaining("plain http is allowed to a loopback address only");
        }
    }

    @Test
    void aNameThatRebindsToTheCloudMetadataServiceIsRefusedWithoutConnecting() {
        // Given an https name that is public when the connector starts and the metadata service when it connects.
        RebindingResolver resolver = new RebindingResolver("hook.rebind.test", 1, address(203, 0, 113, 10),
                address(169, 254, 169, 254));
        DeliveryWebhookSinkTask task = start(resolver, "https://hook.rebind.test/hook", Map.of());

        task.put(List.of(record(0)));

        assertThat(resolver.lookups()).isEqualTo(2);
        assertThat(errorsOf(deadLetters)).singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(WebhookDeliveryException.class)
                .hasMessageContaining("hook.rebind.test resolves to 169.254.169.254")
                .hasMessageContaining("webhook.allow.private.addresses");
    }

    @Test
    void theCloudMetadataServiceAndPrivateRangesNeedAnExplicitOptIn() {
        for (String url : List.of("https://169.254.169.254/latest/meta-data/", "https://10.1.2.3/hook",
                "https://172.16.0.1/hook", "https://192.168.1.1/hook", "https://[fd00::1]/hook",
                "https://[fe80::1]/hook", "https://0.0.0.0/hook", "https://100.64.0.1/hook")) {
            assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(config(url, Map.of()))).as(url)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("webhook.url")
                    .hasMessageContaining("set webhook.allow.private.addresses=true");

            Map<String, String> optIn = config(url, Map.of(
                    DeliveryWebhookSinkConfig.WEBHOOK_ALLOW_PRIVATE_ADDRESSES, "true"));
            assertThat(new DeliveryWebhookSinkConfig(optIn).allowPrivateAddresses).as(url).isTrue();
        }
        assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(config("http://169.254.169.254/latest/meta-data/",
                Map.of(DeliveryWebhookSinkConfig.WEBHOOK_ALLOW_PRIVATE_ADDRESSES, "true"))))
                .as("plain http stays loopback only, opt-in or not").isInstanceOf(ConfigException.class)
                .hasMessageContaining("loopback address only");
    }

    @Test
    void aHundredMegabyteAnswerToADeliveryIsNotReadWhole() throws Exception {
        try (RawHttpEndpoint endpoint = RawHttpEndpoint.answeringWithBody(200, HUNDRED_MB, false)) {
            DeliveryWebhookSinkTask task = start(HostResolver.SYSTEM,
                    "http://127.0.0.1:" + endpoint.port() + "/hook", Map.of());

            task.put(List.of(record(0)));

            assertReadLittleOf(endpoint);
            assertThat(errorsOf(deadLetters)).as("a 2xx is a delivery, whatever follows it").isEmpty();
        }
    }

    @Test
    void aHundredMegabyteChunkedRefusalIsNotReadWhole() throws Exception {
        try (RawHttpEndpoint endpoint = RawHttpEndpoint.answeringWithBody(400, HUNDRED_MB, true)) {
            DeliveryWebhookSinkTask task = start(HostResolver.SYSTEM,
                    "http://127.0.0.1:" + endpoint.port() + "/hook", Map.of());

            task.put(List.of(record(0)));

            assertReadLittleOf(endpoint);
            assertThat(errorsOf(deadLetters)).singleElement().satisfies(error -> assertThat(error.getMessage())
                    .startsWith("the webhook refused the delivery: HTTP 400: 000").hasSizeLessThan(300));
        }
    }

    @Test
    void aHundredMegabyteServerErrorIsNotReadWhole() throws Exception {
        try (RawHttpEndpoint endpoint = RawHttpEndpoint.answeringWithBody(503, HUNDRED_MB, false)) {
            DeliveryWebhookSinkTask task = start(HostResolver.SYSTEM,
                    "http://127.0.0.1:" + endpoint.port() + "/hook", Map.of());

            assertThatThrownBy(() -> task.put(List.of(record(0)))).isInstanceOf(RetriableException.class)
                    .hasMessageContaining("HTTP 503");

            assertReadLittleOf(endpoint);
        }
    }

    private static void assertReadLittleOf(RawHttpEndpoint endpoint) {
        Awaitility.await("the endpoint's answer ended").atMost(Duration.ofSeconds(30))
                .until(() -> endpoint.answersFinished() == 1);
        assertThat(endpoint.bodyBytesWritten()).as("body bytes the sink let the endpoint write, of 100 MiB")
                .isLessThan(READ_BOUND);
    }

    private DeliveryWebhookSinkTask start(HostResolver resolver, String url, Map<String, String> extra) {
        DeliveryWebhookSinkTask task = new DeliveryWebhookSinkTask(resolver);
        tasks.add(task);
        task.initialize(deadLetters);
        task.start(config(url, extra));
        return task;
    }

    private Map<String, String> config(String url, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(
                DeliveryWebhookSinkConfig.TOPICS, TOPIC,
                DeliveryWebhookSinkConfig.WEBHOOK_URL, url,
                DeliveryWebhookSinkConfig.WEBHOOK_SECRET, SECRET,
                DeliveryWebhookSinkConfig.WEBHOOK_TIMEOUT_MS, "5000",
                DeliveryWebhookSinkConfig.MAX_RETRIES, "3",
                DeliveryWebhookSinkConfig.RETRY_BACKOFF_MS, "10",
                DeliveryWebhookSinkConfig.SCHEMA_REGISTRY_URL, registryUrl));
        props.putAll(extra);
        return props;
    }

    private SinkRecord record(long offset) {
        DeliveryEvent event = new DeliveryEvent(new ConsumerNotice(NoticeKind.PENDING, "exchange-ssrf", "alice",
                "r-" + offset, "", "", "waiting for the holder", 1L, null));
        byte[] value;
        try (SpecificAvroSerializer<DeliveryEvent> serializer = new SpecificAvroSerializer<>(DeliveryEvent.class)) {
            serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
            value = serializer.serialize(TOPIC, event);
        }
        return new SinkRecord(TOPIC, 0, Schema.BYTES_SCHEMA, "alice".getBytes(StandardCharsets.UTF_8),
                Schema.OPTIONAL_BYTES_SCHEMA, value, offset);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** DNS as a rebinding attacker runs it: one answer for the first lookups, another for every later one. */
    static final class RebindingResolver implements HostResolver {
        private final String name;
        private final int firstLookups;
        private final InetAddress first;
        private final InetAddress then;
        private int lookups;

        RebindingResolver(String name, int firstLookups, InetAddress first, InetAddress then) {
            this.name = name;
            this.firstLookups = firstLookups;
            this.first = first;
            this.then = then;
        }

        @Override
        public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
            if (!host.equals(name)) {
                throw new UnknownHostException(host);
            }
            lookups++;
            return List.of(lookups <= firstLookups ? first : then);
        }

        synchronized int lookups() {
            return lookups;
        }
    }

    /** The errors the dead-letter topic would carry, in order. */
    private static List<Throwable> errorsOf(RecordingSinkTaskContext context) {
        return context.deadLetters().stream().map(RecordingSinkTaskContext.DeadLetter::error).toList();
    }
}
