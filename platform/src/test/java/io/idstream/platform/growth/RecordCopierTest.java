package io.idstream.platform.growth;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link RecordCopier} sends for the records it reads, on a consumer and producer of Kafka's own mocks. */
class RecordCopierTest {
    private static final TopicPartition SOURCE = new TopicPartition("source", 0);

    /**
     * A writer other than the Java client can give a record the timestamp -1, which a ProducerRecord refuses: the
     * copy sends such a record with no timestamp rather than fail the growth, and keeps every other one's.
     */
    @Test
    void aRecordWithANegativeTimestampIsCopiedWithoutOne() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(SOURCE, 0L));
        consumer.updateEndOffsets(Map.of(SOURCE, 2L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(0, -1L, "written without a time"));
            consumer.addRecord(record(1, 1_700_000_000_000L, "written at a time"));
        });
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());

        RecordCopier.Copied copied = new RecordCopier(consumer, producer, Duration.ofSeconds(5))
                .copy("source", 1, "target", (partition, key) -> new int[] {partition}, Map.of(0, 1L));

        assertThat(producer.history()).extracting(sent -> new String(sent.value(), StandardCharsets.UTF_8))
                .containsExactly("written without a time", "written at a time");
        assertThat(producer.history()).extracting(ProducerRecord::timestamp)
                .containsExactly(null, 1_700_000_000_000L);
        assertThat(copied.readTo()).isEqualTo(Map.of(0, 2L));
        assertThat(copied.processedUpTo()).as("offset after the last processed record copied")
                .isEqualTo(Map.of(0, 1L));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, long timestamp, String value) {
        return new ConsumerRecord<>(SOURCE.topic(), SOURCE.partition(), offset, timestamp, TimestampType.CREATE_TIME,
                0, 0, "holder-1".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), Optional.empty());
    }
}
