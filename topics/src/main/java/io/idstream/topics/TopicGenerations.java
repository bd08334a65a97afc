package io.idstream.topics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads and writes {@code <prefix>.generation}, which names the generation of the holder-keyed topics in use
 * ({@link TopicGeneration}). Every component resolves its catalogue through {@link #resolve} before it reads or writes
 * a holder-keyed topic; with no generation written yet, the deployment is in generation 0 with its configured
 * partition count. Of the records on the topic the highest generation counts, so that a record written twice, or
 * late, never takes a deployment back; bytes of any other shape are ignored.
 */
public final class TopicGenerations {
    /** The topic's name under the prefix: {@code <prefix>.generation}. */
    public static final String TOPIC_SUFFIX = "generation";
    /** The key of every generation record, so that compaction keeps the last one. */
    public static final byte[] KEY = "current".getBytes(StandardCharsets.UTF_8);

    private TopicGenerations() {
    }

    /**
     * The generation in use: the highest one on {@code <prefix>.generation}, or generation 0 with the configured
     * partition count when the topic is missing or holds none.
     *
     * @param configs Kafka client settings plus {@link TopicCatalogConfig}'s keys
     */
    public static TopicGeneration current(Map<String, ?> configs, Duration timeout) {
        TopicCatalogConfig catalogConfig = new TopicCatalogConfig(configs);
        TopicGeneration initial = new TopicGeneration(0, catalogConfig.partitions());
        String topic = catalogConfig.topicPrefix() + "." + TOPIC_SUFFIX;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerConfigs(configs),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                return initial;
            }
            TopicGeneration[] highest = {initial};
            PartitionReader.readToEnd(consumer, List.of(new TopicPartition(topic, 0)), timeout, record ->
                    decode(record).filter(found -> found.number() > highest[0].number())
                            .ifPresent(found -> highest[0] = found));
            return highest[0];
        }
    }

    /**
     * {@code configs} with the generation in use and its partition count set ({@link TopicCatalogConfig#GENERATION},
     * {@link TopicCatalogConfig#PARTITIONS}): what {@link TopicCatalog#create} and every partition count derived from
     * the settings should then see.
     */
    public static Map<String, Object> resolve(Map<String, ?> configs, Duration timeout) {
        return withGeneration(configs, current(configs, timeout));
    }

    /** {@code configs} naming {@code generation}'s topics and partition count. */
    public static Map<String, Object> withGeneration(Map<String, ?> configs, TopicGeneration generation) {
        Map<String, Object> resolved = new HashMap<>(configs);
        resolved.put(TopicCatalogConfig.GENERATION, generation.number());
        resolved.put(TopicCatalogConfig.PARTITIONS, generation.partitions());
        return resolved;
    }

    /** Writes {@code generation} as the one in use and waits until Kafka has it. */
    public static void publish(Producer<byte[], byte[]> producer, TopicCatalog catalog, TopicGeneration generation,
                               Duration timeout) {
        try {
            producer.send(new ProducerRecord<>(catalog.generations().name(), 0, KEY, generation.encode()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write " + generation + " to " + catalog.generations().name()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot write " + generation + " to " + catalog.generations().name()
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + generation, e);
        }
    }

    private static Optional<TopicGeneration> decode(ConsumerRecord<byte[], byte[]> record) {
        return TopicGeneration.decode(record.value());
    }

    private static Map<String, Object> readerConfigs(Map<String, ?> configs) {
        Map<String, Object> reader = new HashMap<>();
        configs.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                reader.put(key, value);
            }
        });
        reader.remove(ConsumerConfig.GROUP_ID_CONFIG);
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A broker that creates topics on demand would otherwise make a stray, uncompacted generation topic here.
        reader.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return reader;
    }
}
