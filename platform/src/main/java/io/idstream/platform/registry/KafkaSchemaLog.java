package io.idstream.platform.registry;

import io.idstream.platform.PlatformException;
import io.idstream.topics.PartitionReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import static io.idstream.platform.registry.RegistryError.Code.STORE_ERROR;

/**
 * The registry's durable log: one partition of a compacted topic, replayed in full at start and appended to
 * synchronously, so a schema id is only handed out once it is on disk in Kafka.
 */
final class KafkaSchemaLog implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TopicPartition partition;
    private final Map<String, Object> clientConfigs;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaSchemaLog(String bootstrapServers, String topic, Map<String, Object> extraClientConfigs) {
        this.partition = new TopicPartition(topic, 0);
        this.clientConfigs = new HashMap<>(extraClientConfigs);
        this.clientConfigs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Map<String, Object> producerConfigs = new HashMap<>(clientConfigs);
        producerConfigs.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfigs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfigs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfigs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfigs.put(ProducerConfig.CLIENT_ID_CONFIG, "idstream-schema-registry");
        this.producer = new KafkaProducer<>(producerConfigs);
    }

    /** Hands every record now in the log, in order, to {@code apply}. */
    void replay(BiConsumer<byte[], byte[]> apply) {
        Map<String, Object> consumerConfigs = new HashMap<>(clientConfigs);
        consumerConfigs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfigs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfigs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfigs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfigs.put(ConsumerConfig.CLIENT_ID_CONFIG, "idstream-schema-registry-replay");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfigs)) {
            PartitionReader.readToEnd(consumer, List.of(partition), TIMEOUT,
                    record -> apply.accept(record.key(), record.value()));
        } catch (KafkaException e) {
            throw new PlatformException("schema registry could not read " + partition.topic() + " to its end: "
                    + e.getMessage());
        }
    }

    void append(byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RegistryError(STORE_ERROR,
                    "Error in the backend data store: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RegistryError(STORE_ERROR,
                    "Error in the backend data store: no acknowledgement from Kafka within " + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryError(STORE_ERROR, "Interrupted while writing to the data store");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
