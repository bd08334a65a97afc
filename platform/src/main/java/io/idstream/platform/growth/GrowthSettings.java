package io.idstream.platform.growth;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link PartitionGrowth} works with: the deployment's settings (Kafka client settings with the bootstrap
 * servers, the operator's login in secure mode, and {@code idstream.topic.*}), the configured application ids of the
 * processors and the gateway (their generation 0 ids), and how long one step may wait for the cluster.
 */
public record GrowthSettings(Map<String, Object> configs, String processorsApplicationId,
                             String gatewayApplicationId, Duration timeout) {
    /** The largest request the copy's producer sends: above any record size a topic of the catalogue allows. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    public GrowthSettings {
        configs = Map.copyOf(configs);
    }

    Map<String, Object> adminConfigs() {
        return only(AdminClientConfig.configNames());
    }

    /** A reader of committed records only, in no group: the copy commits nothing of its own. */
    Map<String, Object> consumerConfigs() {
        Map<String, Object> consumer = only(ConsumerConfig.configNames());
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Retention may delete the segment being read mid-copy: the read must go on from the oldest record kept,
        // not jump to the end and skip the rest of the partition.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // The copy reads each partition to an end it knows: a fetch need not wait for more records to come.
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return consumer;
    }

    /** An idempotent writer acknowledged by every in-sync replica, so that no copied record is lost or doubled. */
    Map<String, Object> producerConfigs() {
        Map<String, Object> producer = only(ProducerConfig.configNames());
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A record that came compressed in a batch is re-sent alone: compressing it again and allowing requests as
        // large as a broker could have taken keeps any record that was written copyable.
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return producer;
    }

    private Map<String, Object> only(Set<String> names) {
        Map<String, Object> selected = new HashMap<>();
        configs.forEach((key, value) -> {
            if (names.contains(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }
}
