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
        Map<String, Object> configs = new HashMap<>();
        configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        configs.put(ProducerConfig.BATCH_SIZE_CONFIG, TopicCatalog.REQUESTS_MAX_MESSAGE_BYTES);
        this.producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer());
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
