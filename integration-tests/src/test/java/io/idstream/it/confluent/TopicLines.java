package io.idstream.it.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.platform.Platform;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Java sees on a topic, committed records below fixed end offsets, as the same JSON lines that the Python
 * client prints: {@code record} (decoded by the catalogue's serde), {@code undecodable}, or {@code raw} (bytes as
 * hex, headers as text).
 */
final class TopicLines {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicLines() {
    }

    /** Every partition of each topic with its end offset now (the last stable offset: committed records only). */
    static Map<TopicPartition, Long> endOffsets(Platform platform, List<Topic<?, ?>> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(platform)) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> partitions.addAll(PartitionReader.partitionsOf(consumer, t.name(), TIMEOUT)));
            return consumer.endOffsets(partitions, TIMEOUT);
        }
    }

    /** The topic's records below {@code ends}, decoded with its value serde when {@code avro}. */
    static List<JsonNode> read(Platform platform, Topic<?, ?> topic, Map<TopicPartition, Long> ends, boolean avro) {
        List<JsonNode> lines = new ArrayList<>();
        List<TopicPartition> partitions = ends.keySet().stream().filter(p -> p.topic().equals(topic.name())).toList();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(platform)) {
            PartitionReader.readToEnd(consumer, partitions, TIMEOUT, record -> {
                if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    lines.add(AvroJson.normalized(avro ? decoded(topic, record) : raw(record)));
                }
            });
        }
        return lines;
    }

    private static JsonNode decoded(Topic<?, ?> topic, ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = line("record", record);
        line.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        try {
            line.set("value", AvroJson.plain(topic.valueSerde().deserializer().deserialize(topic.name(),
                    record.value())));
        } catch (SerializationException e) {
            line.put("kind", "undecodable");
        }
        return line;
    }

    private static JsonNode raw(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = line("raw", record);
        line.put("key", record.key() == null ? null : HexFormat.of().formatHex(record.key()));
        line.put("value", record.value() == null ? null : HexFormat.of().formatHex(record.value()));
        Map<String, String> headers = new TreeMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        line.set("headers", PythonClient.JSON.valueToTree(headers));
        return line;
    }

    private static ObjectNode line(String kind, ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = PythonClient.JSON.createObjectNode();
        line.put("kind", kind);
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        return line;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Platform platform) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
