package io.idstream.connectors.webhook;

import io.idstream.avro.DeliveryEvent;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.RegistryUnavailableException;
import io.idstream.schemas.serde.SpecificAvroDeserializer;
import io.idstream.sdk.webhook.WebhookHeaders;
import io.idstream.sdk.webhook.WebhookPayload;
import io.idstream.sdk.webhook.WebhookSignature;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * POSTs records one by one, in order, and decides each one's fate by the answer:
 * <ul>
 *   <li>2xx: done.</li>
 *   <li>5xx, 408, 429, a timeout or no connection: may succeed later. The batch is handed back to Connect with a
 *   {@link RetriableException} after a backoff that doubles per attempt; records of it already accepted are not
 *   POSTed again. After {@code max.retries} the record is given up to the errant record reporter, so one dead
 *   endpoint path never holds the records behind it forever.</li>
 *   <li>Any other answer (4xx, a redirect), a record that is not a delivery event, and a host that resolves only to
 *   addresses the sink may not connect to ({@link WebhookAddressPolicy}, checked at every connection): will not
 *   succeed; straight to the errant record reporter (the dead-letter topic, with Connect's error headers).</li>
 * </ul>
 * Of an answer the task reads at most {@link WebhookHttpClient#MAX_ANSWER_BYTES} bytes. Each POST carries the Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}). Delivery is at least once: after a restart Connect resumes from the last committed
 * offsets, and a receiver drops a repeat by the body's {@code id} (or the {@code webhook-id}, the same id).
 */
public class DeliveryWebhookSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWebhookSinkTask.class);

    private final HostResolver resolver;
    private DeliveryWebhookSinkConfig config;
    private WebhookHttpClient http;
    private SpecificAvroDeserializer<DeliveryEvent> deserializer;
    private ErrantRecordReporter reporter;
    /** Records of the batch being retried that were already settled (accepted or reported). */
    private final Set<RecordId> settled = new HashSet<>();
    private final Map<RecordId, Integer> attempts = new HashMap<>();

    /** The task as Connect makes it: the webhook's host resolved by the platform's DNS. */
    public DeliveryWebhookSinkTask() {
        this(HostResolver.SYSTEM);
    }

    /** A task whose webhook host names are resolved by {@code resolver}, at start and for every connection. */
    public DeliveryWebhookSinkTask(HostResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new DeliveryWebhookSinkConfig(props, resolver);
        http = new WebhookHttpClient(resolver, config.addressPolicy(), config.webhookTimeout,
                (SSLSocketFactory) SSLSocketFactory.getDefault());
        deserializer = new SpecificAvroDeserializer<>(DeliveryEvent.class);
        Map<String, Object> serdeConfigs = new HashMap<>();
        serdeConfigs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl);
        if (config.schemaRegistryLogin != null) {
            serdeConfigs.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, config.schemaRegistryLogin);
        }
        serdeConfigs.putAll(config.schemaRegistryTrust);
        deserializer.configure(serdeConfigs, false);
        reporter = context.errantRecordReporter();
        LOG.info("webhook sink started: topics={} url={}", config.topics, config.shownWebhookUrl());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            RecordId id = RecordId.of(record);
            if (settled.contains(id)) {
                continue;
            }
            Outcome outcome = deliver(record);
            if (outcome instanceof Outcome.Accepted) {
                settle(id);
            } else if (outcome instanceof Outcome.Refused refused) {
                report(record, refused.reason());
                settle(id);
            } else {
                String reason = ((Outcome.Retry) outcome).reason();
                int attempt = attempts.merge(id, 1, Integer::sum);
                if (attempt > config.maxRetries) {
                    report(record, "gave up after " + config.maxRetries + " retries: " + reason);
                    settle(id);
                    continue;
                }
                long backoff = config.backoffMs(attempt);
                LOG.warn("webhook POST failed, retry {} of {} in {} ms: topic={} partition={} offset={}: {}",
                        attempt, config.maxRetries, backoff, record.topic(), record.kafkaPartition(),
                        record.kafkaOffset(), reason);
                context.timeout(backoff);
                throw new RetriableException("webhook POST of " + id + " failed: " + reason);
            }
        }
        // The whole batch is settled: nothing of it comes back.
        settled.clear();
        attempts.clear();
    }

    private void settle(RecordId id) {
        settled.add(id);
        attempts.remove(id);
    }

    private Outcome deliver(SinkRecord record) {
        if (record.value() == null) {
            return new Outcome.Refused("a record without a value is no delivery event");
        }
        if (!(record.value() instanceof byte[] bytes)) {
            throw new ConnectException("the webhook sink reads records as bytes: set value.converter="
                    + "org.apache.kafka.connect.converters.ByteArrayConverter (got "
                    + record.value().getClass().getName() + ")");
        }
        DeliveryEvent event;
        try {
            event = deserializer.deserialize(record.topic(), bytes);
        } catch (RegistryUnavailableException e) {
            return new Outcome.Retry("schema registry unavailable: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.Refused("not a delivery event: " + e.getMessage());
        }
        String key = record.key() instanceof byte[] k ? new String(k, StandardCharsets.UTF_8)
                : record.key() == null ? "" : record.key().toString();
        WebhookPayload payload = new WebhookPayload(record.topic(), record.kafkaPartition(), record.kafkaOffset(),
                key, event);
        byte[] body = payload.toJson();
        // Signed per attempt: the timestamp is this attempt's, the id the record's (the same on every retry).
        WebhookHeaders signed = WebhookSignature.sign(config.signingSecret, payload.webhookId(),
                System.currentTimeMillis() / 1000, body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "idstream-webhook-sink/" + Version.get());
        headers.put(WebhookHeaders.ID, signed.id());
        headers.put(WebhookHeaders.TIMESTAMP, signed.timestamp());
        headers.put(WebhookHeaders.SIGNATURE, signed.signature());
        WebhookHttpClient.Answer response;
        try {
            response = http.post(config.webhookUrl, headers, body);
        } catch (WebhookHttpClient.RefusedAddressException e) {
            return new Outcome.Refused("refused to connect: " + e.getMessage());
        } catch (IOException e) {
            return new Outcome.Retry(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()));
        }
        int status = response.status();
        if (status / 100 == 2) {
            return new Outcome.Accepted();
        }
        String answer = "HTTP " + status + answerSnippet(response.body());
        if (status >= 500 || status == 408 || status == 429) {
            return new Outcome.Retry(answer);
        }
        return new Outcome.Refused("the webhook refused the delivery: " + answer);
    }

    private static String answerSnippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private void report(SinkRecord record, String reason) {
        LOG.warn("webhook sink gives up a record: topic={} partition={} offset={}: {}", record.topic(),
                record.kafkaPartition(), record.kafkaOffset(), reason);
        if (reporter == null) {
            throw new ConnectException("cannot deliver " + RecordId.of(record) + " (" + reason + ") and no "
                    + "dead-letter queue is configured: set errors.tolerance=all and errors.deadletterqueue.topic.name");
        }
        try {
            // Wait for the dead-letter write, so that the offset committed after this batch never skips a record
            // that is neither delivered nor dead-lettered.
            reporter.report(record, new WebhookDeliveryException(reason)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while dead-lettering " + RecordId.of(record), e);
        } catch (ExecutionException e) {
            throw new ConnectException("cannot dead-letter " + RecordId.of(record) + ": " + e.getCause(), e);
        }
    }

    @Override
    public void stop() {
        if (deserializer != null) {
            deserializer.close();
        }
    }

    @Override
    public String version() {
        return Version.get();
    }

    private sealed interface Outcome {
        record Accepted() implements Outcome {
        }

        record Retry(String reason) implements Outcome {
        }

        record Refused(String reason) implements Outcome {
        }
    }

    /** Where a record sits; also the body's {@code id}, the same on every retry. */
    private record RecordId(String topic, int partition, long offset) {
        static RecordId of(SinkRecord record) {
            return new RecordId(record.topic(), record.kafkaPartition(), record.kafkaOffset());
        }

        @Override
        public String toString() {
            return WebhookPayload.id(topic, partition, offset);
        }
    }
}
