package io.idstream.platform.growth;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.idstream.topics.PartitionReader;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes and reads the raw records of a growth test: keys and values as text, timestamps and headers set. */
final class GrowthRecords {
    /** One record as the test wrote or found it. */
    record Written(String key, String value, long timestamp, String header) {
    }

    private GrowthRecords() {
    }

    static void write(String bootstrapServers, String topic, int partition, List<Written> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Written record : records) {
                writeBytes(producer, topic, partition, record.key() == null ? null : bytes(record.key()), record);
            }
        }
    }

    static void writeBytes(KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] key,
                           Written record) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", bytes(record.header()));
        producer.send(new ProducerRecord<>(topic, partition, record.timestamp(), key, bytes(record.value()),
                headers)).get();
    }

    /** Every record of one partition, in offset order; keys of the expiry index shown by their entry key. */
    static List<Written> read(String bootstrapServers, String topic, int partition) {
        List<Written> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            PartitionReader.readToEnd(consumer, List.of(new TopicPartition(topic, partition)), Duration.ofSeconds(30),
                    (ConsumerRecord<byte[], byte[]> record) -> found.add(new Written(
                            record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                            new String(record.value(), StandardCharsets.UTF_8), record.timestamp(),
                            new String(record.headers().lastHeader("origin").value(), StandardCharsets.UTF_8))));
        }
        return found;
    }

    /** An expiry index key: the kind's byte, the time with its sign bit flipped, the entry's key. */
    static byte[] expiryKey(int kind, long at, String entryKey) {
        byte[] entry = bytes(entryKey);
        return ByteBuffer.allocate(9 + entry.length).put((byte) kind).putLong(at ^ Long.MIN_VALUE).put(entry).array();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
