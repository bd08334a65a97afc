package io.idstream.sdk;

import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What every client shares: the topic catalogue, one producer, and reads of one holder's (or principal's) partition
 * of a topic from its start to its end. Records are keyed by holder or principal id and partitioned as Kafka's
 * default partitioner does, so a client reads only the partition its records are in. A record that does not decode
 * is skipped and reported once ({@link #skippedRecords()}), so that no record can stop a reader on its partition
 * (docs/protocol.md section 9). The catalogue, its writes and its waits follow the generation of the holder-keyed
 * topics in use ({@link GenerationFollower}). Thread-safe.
 */
public final class KafkaGateway implements AutoCloseable {
    /** How long one write or read may wait for Kafka, in milliseconds; default 30 s. */
    public static final String TIMEOUT_CONFIG = "idstream.client.timeout.ms";
    /** How many skipped records a client remembers, so that each is reported once; beyond that the oldest go. */
    static final int SKIPPED_REMEMBERED = 1_000;

    private final Duration timeout;
    private final Map<String, Object> clientConfigs;
    final GenerationFollower generations;
    private final KafkaProducer<String, byte[]> producer;
    private final SkippedRecords skipped = new SkippedRecords();

    /** @param properties Kafka client properties (bootstrap, security) plus {@code schema.registry.url} */
    public KafkaGateway(Properties properties) {
        this.clientConfigs = new HashMap<>();
        properties.forEach((key, value) -> clientConfigs.put((String) key, value));
        if (!clientConfigs.containsKey("bootstrap.servers")) {
            throw new IdstreamException("bootstrap.servers is not set");
        }
        if (!clientConfigs.containsKey("schema.registry.url")) {
            throw new IdstreamException("schema.registry.url is not set");
        }
        this.timeout = Duration.ofMillis(Long.parseLong(String.valueOf(clientConfigs.getOrDefault(TIMEOUT_CONFIG,
                "30000"))));
        this.generations = new GenerationFollower(clientConfigs, timeout);
        Map<String, Object> producerConfigs = kafkaOnly(ProducerConfig.configNames());
        producerConfigs.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfigs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfigs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        this.producer = new KafkaProducer<>(producerConfigs, new StringSerializer(), new ByteArraySerializer());
    }

    /** How long a call waits for Kafka before giving up ({@value #TIMEOUT_CONFIG}). */
    public Duration timeout() {
        return timeout;
    }

    /** The catalogue of the generation of the holder-keyed topics in use, re-read when it is 10 s old. */
    public TopicCatalog catalog() {
        return generations.catalog();
    }

    /** {@link GenerationFollower#lastingTopics()}: the topics named alike in every generation. */
    public TopicCatalog lastingTopics() {
        return generations.lastingTopics();
    }

    /** Writes one record and waits until Kafka has it; returns where it was written ({@link GenerationFollower}). */
    public <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        return generations.writeFollowing(topic, target -> write(target, key, value));
    }

    private <V> RecordMetadata write(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                throw RecordLimits.refusal(topic, key, bytes, tooLarge);
            }
            throw new IdstreamException("cannot write to " + topic.name() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IdstreamException("cannot write to " + topic.name() + ": Kafka did not answer within "
                    + timeout.toSeconds() + " s (is the platform running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while writing to " + topic.name(), e);
        }
    }

    /** Every record of the partition that holds {@code id}'s records, whose key passes {@code keyFilter}, in order. */
    public <V> List<ConsumerRecord<String, V>> readPartitionOf(Topic<String, V> topic, String id,
                                                               Predicate<String> keyFilter) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = rawReader()) {
            PartitionReader.readToEnd(consumer, List.of(partitionOf(consumer, topic.name(), id)), timeout, raw -> {
                if (raw.key() != null && keyFilter.test(raw.key())) {
                    decode(topic, raw).ifPresent(records::add);
                }
            });
        } catch (KafkaException e) {
            throw new IdstreamException("cannot read " + topic.name() + ": " + e.getMessage(), e);
        }
        return records;
    }

    /**
     * The first record of the partition that holds {@code id}'s records that passes {@code match}, read from the
     * partition's beginning and then as records arrive; each poll blocks until there are records, so the wait ends
     * as soon as the processors write the one awaited.
     *
     * @throws IdstreamException "{@code notSeen} within N s; {@code hint}" when no such record arrives within
     *                           {@code timeout} (the hint may be empty)
     */
    public <V> ConsumerRecord<String, V> awaitRecord(Topic<String, V> topic, String id,
                                                     Predicate<ConsumerRecord<String, V>> match, Duration timeout,
                                                     String notSeen, String hint) {
        Topic<String, V> reading = topic;
        try (KafkaConsumer<String, byte[]> consumer = rawReader()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long remaining = timeout.toNanos(); remaining > 0; remaining = deadline - System.nanoTime()) {
                Topic<String, V> inUse = generations.inUse(reading);
                if (consumer.assignment().isEmpty() || !inUse.name().equals(reading.name())) {
                    reading = inUse;
                    TopicPartition partition = partitionOf(consumer, reading.name(), id);
                    consumer.assign(List.of(partition));
                    consumer.seekToBeginning(List.of(partition));
                }
                for (ConsumerRecord<String, byte[]> raw : consumer.poll(GenerationFollower.pollTime(remaining))) {
                    if (raw.key() == null) {
                        continue;
                    }
                    Optional<ConsumerRecord<String, V>> record = decode(reading, raw);
                    if (record.isPresent() && match.test(record.get())) {
                        return record.get();
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IdstreamException("cannot read " + reading.name() + ": " + e.getMessage(), e);
        }
        throw new IdstreamException(notSeen + " within " + timeout.toSeconds() + " s"
                + (hint.isEmpty() ? "" : "; " + hint));
    }

    /**
     * Writes one record and waits for the processors' answer to it: the first record of {@code answers}, in the
     * partition that holds {@code id}'s records, that passes {@code accepted} (read from that partition's beginning,
     * as {@link #awaitRecord} reads), or the refusal of this very record on the rejected topic, whichever comes
     * first. A refusal names the record it refuses by source topic, partition and offset (docs/protocol.md section
     * 13), so the refusal of another record, earlier or concurrent, never ends the wait. The rejected topic is keyed
     * by the refused record's key, so the refusal is in the partition of {@code key}.
     *
     * @throws IdstreamException "{@code what} was refused (reason code): detail" as soon as the refusal is read;
     *                           "{@code what}: no answer from the processors within N s" when neither comes in time
     */
    public <V, A> ConsumerRecord<String, A> sendAndAwaitAnswer(Topic<String, V> topic, String key, V value,
                                                               Topic<String, A> answers, String id,
                                                               Predicate<ConsumerRecord<String, A>> accepted,
                                                               Duration timeout, String what) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerConfigs(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition answerPartition = partitionOf(consumer, answers.name(), id);
            TopicPartition refusalPartition = partitionOf(consumer, generations.lastingTopics().rejected().name(), key);
            // Positioned before the write, so that its refusal cannot slip in between.
            long refusalsFrom = consumer.endOffsets(List.of(refusalPartition), timeout).get(refusalPartition);
            consumer.assign(List.of(answerPartition, refusalPartition));
            consumer.seekToBeginning(List.of(answerPartition));
            consumer.seek(refusalPartition, refusalsFrom);
            RecordMetadata written = send(topic, key, value);
            Topic<String, A> answering = answers;
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long remaining = timeout.toNanos(); remaining > 0; remaining = deadline - System.nanoTime()) {
                Topic<String, A> inUse = generations.inUse(answering);
                if (!inUse.name().equals(answering.name())) {
                    answering = inUse;
                    long refusalsAt = consumer.position(refusalPartition, timeout);
                    answerPartition = partitionOf(consumer, answering.name(), id);
                    consumer.assign(List.of(answerPartition, refusalPartition));
                    consumer.seekToBeginning(List.of(answerPartition));
                    consumer.seek(refusalPartition, refusalsAt);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(GenerationFollower.pollTime(remaining))) {
                    if (record.topic().equals(answering.name())) {
                        if (record.key() == null) {
                            continue;
                        }
                        Optional<ConsumerRecord<String, A>> answer = decode(answering, with(record,
                                new String(record.key(), StandardCharsets.UTF_8), record.value()));
                        if (answer.isPresent() && accepted.test(answer.get())) {
                            return answer.get();
                        }
                    } else {
                        Optional<Refusal> refusal = Refusal.of(record.headers());
                        if (refusal.isPresent() && refusal.get().refuses(written)) {
                            throw new IdstreamException(what + " was refused (" + refusal.get().reason() + "): "
                                    + refusal.get().detail());
                        }
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IdstreamException("cannot read the answer to " + what + ": " + e.getMessage(), e);
        }
        throw new IdstreamException(what + ": no answer from the processors within " + timeout.toSeconds()
                + " s (are they running?)");
    }

    /**
     * Values stay bytes until {@link #decode}: a deserializer inside the consumer would fail the whole poll on a
     * record that does not decode, and every later poll at the same record, for good.
     */
    private KafkaConsumer<String, byte[]> rawReader() {
        return new KafkaConsumer<>(readerConfigs(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The record with its value decoded as {@code topic}'s (a tombstone stays null), or empty when it does not decode,
     * which is then reported as {@link #skip} does. A registry that cannot be reached fails the read instead: the
     * record may be fine.
     */
    <V> Optional<ConsumerRecord<String, V>> decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> raw) {
        return decode(topic, raw, skipped -> { });
    }

    /** {@link #decode(Topic, ConsumerRecord)}, handing a record that does not decode also to {@code onSkip}. */
    <V> Optional<ConsumerRecord<String, V>> decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> raw,
                                                   java.util.function.Consumer<SkippedRecord> onSkip) {
        V value;
        try {
            value = topic.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
        } catch (SerializationException e) {
            SkippedRecord skipped = new SkippedRecord(raw.topic(), raw.partition(), raw.offset(),
                    "does not decode: " + e.getMessage());
            skip(skipped);
            onSkip.accept(skipped);
            return Optional.empty();
        }
        return Optional.of(with(raw, raw.key(), value));
    }

    /** {@code record} with another key and value; where it is, its timestamp and its headers kept. */
    private static <K, V> ConsumerRecord<K, V> with(ConsumerRecord<?, ?> record, K key, V value) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, value,
                record.headers(), record.leaderEpoch());
    }

    /**
     * Reports a record read past: a warning naming its position and the reason, once per record while this client
     * remembers it ({@value #SKIPPED_REMEMBERED} records), since every read of a partition meets it again.
     */
    void skip(SkippedRecord record) {
        skipped.report(record);
    }

    /** The reports this client has made of records it skipped, oldest first (the last {@value #SKIPPED_REMEMBERED}). */
    public List<SkippedRecord> skippedRecords() {
        return skipped.reports();
    }

    /** A reader's settings: no group, no commits, committed records only. */
    private Map<String, Object> readerConfigs() {
        Map<String, Object> configs = kafkaOnly(ConsumerConfig.configNames());
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return configs;
    }

    private TopicPartition partitionOf(KafkaConsumer<?, ?> consumer, String topic, String id) {
        int partitions = consumer.partitionsFor(topic, timeout).size();
        if (partitions == 0) {
            throw new IdstreamException("topic " + topic + " does not exist");
        }
        return new TopicPartition(topic, HolderKeys.partitionOf(id, partitions));
    }

    /** Settings for a Kafka client: the given ones minus idstream's and the registry's. */
    Map<String, Object> kafkaOnly(Set<String> known) {
        Map<String, Object> configs = new HashMap<>();
        clientConfigs.forEach((key, value) -> {
            if (known.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                configs.put(key, value);
            }
        });
        return configs;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
