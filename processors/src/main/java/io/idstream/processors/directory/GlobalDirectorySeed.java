package io.idstream.processors.directory;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills an empty global directory from the verified directory, before Kafka Streams starts (docs/protocol.md section
 * 10). A deployment verified by an earlier version has its issuers' and consumers' entries in
 * {@code directory.verified} only, and so has one whose {@code directory.global} was deleted and made again; Kafka
 * Streams restores a global store to its topic's end before any task processes a record, so once the entries are
 * there, every task knows every issuer and consumer from its first record. Each entry is the latest of its id, as
 * the processors published it; the loader checks it again, and accepts the same entry twice, so two instances seeding
 * at once do no harm.
 */
public final class GlobalDirectorySeed {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalDirectorySeed.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Object> clientConfigs;
    private final Topic<String, VerifiedPrincipal> verified;
    private final Topic<String, VerifiedPrincipal> global;

    /** @param clientConfigs the connection settings (bootstrap servers, security) the seed's clients use */
    public GlobalDirectorySeed(Map<String, Object> clientConfigs, Topic<String, VerifiedPrincipal> verified,
                               Topic<String, VerifiedPrincipal> global) {
        this.clientConfigs = Map.copyOf(clientConfigs);
        this.verified = verified;
        this.global = global;
    }

    /** Sends the issuers and consumers of the verified directory to the global directory if it holds no record. */
    public int seedIfEmpty(Duration timeout) {
        try (KafkaConsumer<String, VerifiedPrincipal> consumer = consumer()) {
            if (recordsIn(consumer, global.name(), timeout) > 0 || recordsIn(consumer, verified.name(), timeout) == 0) {
                return 0;
            }
            Map<String, VerifiedPrincipal> latest = readToEnd(consumer, verified.name(), timeout);
            int sent = 0;
            try (KafkaProducer<String, VerifiedPrincipal> producer = producer()) {
                for (Map.Entry<String, VerifiedPrincipal> entry : latest.entrySet()) {
                    if (entry.getValue() != null && !DirectoryView.isHolder(entry.getValue())) {
                        producer.send(new ProducerRecord<>(global.name(), entry.getKey(), entry.getValue()));
                        sent++;
                    }
                }
                producer.flush();
            }
            LOG.info("Global directory was empty: issuers and consumers of the verified directory sent to it "
                    + "entries={}", sent);
            return sent;
        }
    }

    private static long recordsIn(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        return partitions.stream().mapToLong(partition -> end.get(partition) - begin.get(partition)).sum();
    }

    private static Map<String, VerifiedPrincipal> readToEnd(KafkaConsumer<String, VerifiedPrincipal> consumer,
                                                            String topic, Duration timeout) {
        List<TopicPartition> partitions = partitions(consumer, topic, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<String, VerifiedPrincipal> latest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<String, VerifiedPrincipal> record : consumer.poll(POLL)) {
                latest.put(record.key(), record.value());
            }
        }
        return latest;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private KafkaConsumer<String, VerifiedPrincipal> consumer() {
        Map<String, Object> configs = only(ConsumerConfig.configNames());
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(configs, new StringDeserializer(), verified.valueSerde().deserializer());
    }

    private KafkaProducer<String, VerifiedPrincipal> producer() {
        Map<String, Object> configs = only(ProducerConfig.configNames());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        configs.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaProducer<>(configs, new StringSerializer(), global.valueSerde().serializer());
    }

    /** Only the keys the client knows, so that it does not warn about the rest. */
    private Map<String, Object> only(Set<String> names) {
        Map<String, Object> configs = new HashMap<>();
        clientConfigs.forEach((key, value) -> {
            if (names.contains(key)) {
                configs.put(key, value);
            }
        });
        return configs;
    }
}
