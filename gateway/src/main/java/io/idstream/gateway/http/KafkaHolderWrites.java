package io.idstream.gateway.http;

import io.idstream.crypto.http.HostileText;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.Principal;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * {@link HolderWrites} to Kafka, as the SDK's clients write the same records: one idempotent producer with
 * {@code acks=all}, values serialized by the topic catalogue's Avro serdes, keys the holder's id. A send that Kafka
 * does not acknowledge within {@code timeout} fails its future, and the holder is told the gateway is unavailable.
 * <p>
 * No HTTP thread waits on Kafka: {@link KafkaProducer#send} may block while it fetches a topic's metadata or waits
 * for buffer space, so sends are made by one thread of their own, and each may block at most
 * {@value #MAX_BLOCK_MS} ms ({@code max.block.ms}): the gateway writes to three topics whose metadata the producer
 * fetches once, so a broker that does not answer within a second is down, and a longer wait would only hold the
 * writes queued behind it. A write that waited in that queue for longer than {@code timeout} fails without being
 * sent, and at most {@code maxInFlight} writes wait for Kafka at once: above it the holder is told at once that the
 * gateway is unavailable.
 */
public final class KafkaHolderWrites implements HolderWrites {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHolderWrites.class);

    private final TopicCatalog catalog;
    static final int MAX_BLOCK_MS = 1_000;

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gateway-kafka-sender");
        thread.setDaemon(true);
        return thread;
    });

    /** @param producerConfigs Kafka client settings (bootstrap servers, security); acks and idempotence are set here */
    public KafkaHolderWrites(Map<String, Object> producerConfigs, TopicCatalog catalog, Duration timeout) {
        this(producerConfigs, catalog, timeout, GatewayLimits.defaults().writesInFlight());
    }

    /** @param maxInFlight how many writes may wait for Kafka at once; more fail at once */
    public KafkaHolderWrites(Map<String, Object> producerConfigs, TopicCatalog catalog, Duration timeout,
                             int maxInFlight) {
        this.catalog = catalog;
        this.timeout = timeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        Map<String, Object> configs = new HashMap<>(producerConfigs);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        configs.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        configs.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        configs.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> register(Principal registration) {
        return send(catalog.directory(), registration.getId(), new DirectoryEvent(registration));
    }

    @Override
    public CompletableFuture<Void> decide(String holderId, DecisionEvent decision) {
        return send(catalog.accessDecisions(), holderId, decision);
    }

    @Override
    public CompletableFuture<Void> storeBackup(HolderBackup backup) {
        return send(catalog.holderBackups(), backup.getPrincipalId(), backup);
    }

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (!inFlight.tryAcquire()) {
            written.completeExceptionally(new IllegalStateException("too many writes wait for Kafka"));
            return written;
        }
        written.whenComplete((done, failure) -> inFlight.release());
        long queuedAt = System.nanoTime();
        try {
            sender.execute(() -> sendNow(topic, key, value, written, queuedAt));
        } catch (RejectedExecutionException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    private <V> void sendNow(Topic<String, V> topic, String key, V value, CompletableFuture<Void> written,
                             long queuedAt) {
        if (System.nanoTime() - queuedAt > timeout.toNanos()) {
            written.completeExceptionally(new IllegalStateException("the write waited too long to be sent"));
            return;
        }
        try {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, failure) -> {
                if (failure == null) {
                    written.complete(null);
                } else {
                    LOG.warn("write failed topic={} key={} reason={}", topic.name(), HostileText.excerpt(key),
                            failure.toString());
                    written.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("write failed topic={} key={} reason={}", topic.name(), HostileText.excerpt(key), e.toString());
            written.completeExceptionally(e);
        }
    }

    /** How many writes wait for Kafka now. */
    int waiting() {
        return maxInFlight - inFlight.availablePermits();
    }

    @Override
    public void close() {
        sender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
