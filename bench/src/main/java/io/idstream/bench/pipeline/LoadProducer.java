package io.idstream.bench.pipeline;

import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The load generator's one producer, shared by every phase and thread of the run: acks from all replicas and
 * idempotent retries, as idstream's own clients write, so that the figures are those of a durable write; batches of
 * up to 64 KB (the most the requests topic takes in one batch) after a 5 ms linger so that the client is not what
 * limits the rate. Values go out serialised with their topic's own serde, or as raw bytes for the Kafka baseline.
 */
final class LoadProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    LoadProducer(String bootstrapServers) {
        this(bootstrapServers, TopicCatalog.REQUESTS_MAX_MESSAGE_BYTES, 5, "none", 32L * 1024 * 1024);
    }

    private LoadProducer(String bootstrapServers, int batchBytes, int lingerMs, String compression,
                         long bufferBytes) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        configs.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        configs.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        configs.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes);
        this.producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A producer for loading a population, not for the request load: batches of 512 KB compressed with lz4 after
     * 20 ms, which the directory, decision and issuance topics take (only the requests topic caps a batch at 64 KB).
     */
    static LoadProducer bulk(String bootstrapServers) {
        return new LoadProducer(bootstrapServers, 512 * 1024, 20, "lz4", 128L * 1024 * 1024);
    }

    <V> void send(Topic<String, V> topic, String key, V value) {
        sendBytes(topic.name(), key, serialize(topic, value));
    }

    void sendBytes(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    static <V> byte[] serialize(Topic<String, V> topic, V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
