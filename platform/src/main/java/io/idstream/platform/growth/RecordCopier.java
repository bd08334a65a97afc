package io.idstream.platform.growth;

import io.idstream.topics.PartitionReader;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Copies a topic's committed records to another topic, partition by partition in offset order, each record's key,
 * value, timestamp and headers kept, to the partitions a router names. Records of one source partition reach each
 * target partition in their source order, since an idempotent producer keeps the order of what it sends to one
 * partition.
 */
final class RecordCopier {
    /** Where a record of a source partition goes: one partition or more of the target. */
    interface Router {
        int[] targets(int sourcePartition, byte[] key);
    }

    /**
     * What one copy wrote: the records read, and per target partition how many of the records copied there came
     * from below a source partition's {@code processedBelow} offset.
     */
    record Copied(long records, Map<Integer, Long> processedByTarget) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Duration timeout;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    RecordCopier(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Duration timeout) {
        this.consumer = consumer;
        this.producer = producer;
        this.timeout = timeout;
    }

    /**
     * Copies every partition of {@code source} ({@code sourcePartitions} of them) to {@code target}, and waits until
     * Kafka has every record.
     *
     * @param processedBelow per source partition, the offset below which a record counts as processed; none: none
     */
    Copied copy(String source, int sourcePartitions, String target, Router router,
                Map<Integer, Long> processedBelow) {
        long[] records = {0};
        Map<Integer, Long> processed = new HashMap<>();
        List<TopicPartition> partitions = IntStream.range(0, sourcePartitions)
                .mapToObj(partition -> new TopicPartition(source, partition)).toList();
        PartitionReader.readToEnd(consumer, partitions, timeout, (ConsumerRecord<byte[], byte[]> record) -> {
            records[0]++;
            boolean wasProcessed = record.offset() < processedBelow.getOrDefault(record.partition(), 0L);
            for (int partition : router.targets(record.partition(), record.key())) {
                producer.send(new ProducerRecord<>(target, partition, record.timestamp(), record.key(),
                        record.value(), record.headers()), (metadata, exception) -> {
                            if (exception != null) {
                                failure.compareAndSet(null, exception);
                            }
                        });
                if (wasProcessed) {
                    processed.merge(partition, 1L, Long::sum);
                }
            }
        });
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("cannot copy " + source + " to " + target + ": " + failed.getMessage(),
                    failed);
        }
        return new Copied(records[0], processed);
    }
}
