package io.idstream.gateway.http;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
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

/**
 * {@link HolderWrites} to Kafka, as the SDK's clients write the same records: one idempotent producer with
 * {@code acks=all}, values serialized by the topic catalogue's Avro serdes, keys the holder's id. A send that Kafka
 * does not acknowledge within {@code timeout} fails its future, and the holder is told the gateway is unavailable.
 */
public final class KafkaHolderWrites implements HolderWrites {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaHolderWrites.class);

    private final TopicCatalog catalog;
    private final KafkaProducer<String, byte[]> producer;

    /** @param producerConfigs Kafka client settings (bootstrap servers, security); acks and idempotence are set here */
    public KafkaHolderWrites(Map<String, Object> producerConfigs, TopicCatalog catalog, Duration timeout) {
        this.catalog = catalog;
        Map<String, Object> configs = new HashMap<>(producerConfigs);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
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

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, failure) -> {
                if (failure == null) {
                    written.complete(null);
                } else {
                    LOG.warn("write failed topic={} key={} reason={}", topic.name(), key, failure.toString());
                    written.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("write failed topic={} key={} reason={}", topic.name(), key, e.toString());
            written.completeExceptionally(e);
        }
        return written;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
