package io.idstream.platform.growth;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
     * What one copy wrote: the records read; per source partition the end offset it was read up to; and per target
     * partition the offset just after the last record copied there that came from below a source partition's
     * {@code processedBelow} offset (absent: none did), as Kafka gave it to the copy.
     */
    record Copied(long records, Map<Integer, Long> readTo, Map<Integer, Long> processedUpTo) {
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
     * Copies every partition of {@code source} ({@code sourcePartitions} of them) from its beginning to
     * {@code target}, and waits until Kafka has every record.
     *
     * @param processedBelow per source partition, the offset below which a record counts as processed; none: none
     */
    Copied copy(String source, int sourcePartitions, String target, Router router,
                Map<Integer, Long> processedBelow) {
        return copy(source, IntStream.range(0, sourcePartitions).boxed().toList(), Map.of(), target, router,
                processedBelow);
    }

    /**
     * Copies those partitions of {@code source} to {@code target}, each from the offset {@code startAt} names (or
     * its beginning) to the end offset it has when the read starts, and waits until Kafka has every record.
     */
    Copied copy(String source, Collection<Integer> sourcePartitions, Map<Integer, Long> startAt, String target,
                Router router, Map<Integer, Long> processedBelow) {
        long[] records = {0};
        Map<Integer, Long> processedUpTo = new ConcurrentHashMap<>();
        List<TopicPartition> partitions = sourcePartitions.stream()
                .map(partition -> new TopicPartition(source, partition)).toList();
        Map<TopicPartition, Long> ends = assignAndSeek(partitions, startAt);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(ends)) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new TimeoutException("cannot read " + partitions + " to the end offsets " + ends + " within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofNanos(remaining))) {
                records[0]++;
                boolean wasProcessed = record.offset() < processedBelow.getOrDefault(record.partition(), 0L);
                for (int partition : router.targets(record.partition(), record.key())) {
                    send(target, partition, record, wasProcessed ? processedUpTo : null);
                }
            }
        }
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("cannot copy " + source + " to " + target + ": " + failed.getMessage(),
                    failed);
        }
        Map<Integer, Long> readTo = new HashMap<>();
        ends.forEach((partition, end) -> readTo.put(partition.partition(), end));
        return new Copied(records[0], readTo, Map.copyOf(processedUpTo));
    }

    private Map<TopicPartition, Long> assignAndSeek(List<TopicPartition> partitions, Map<Integer, Long> startAt) {
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long offset = startAt.get(partition.partition());
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
        return consumer.endOffsets(partitions, timeout);
    }

    private void send(String target, int partition, ConsumerRecord<byte[], byte[]> record,
                      Map<Integer, Long> processedUpTo) {
        producer.send(new ProducerRecord<>(target, partition, timestampOf(record), record.key(), record.value(),
                record.headers()), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    } else if (processedUpTo != null) {
                        processedUpTo.merge(partition, metadata.offset() + 1, Math::max);
                    }
                });
    }

    private boolean reachedEnd(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), timeout) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The record's own timestamp; none for a negative one, which a writer other than the Java client can put on a
     * record and which a ProducerRecord refuses: one such record must not make a topic uncopyable.
     */
    private static Long timestampOf(ConsumerRecord<byte[], byte[]> record) {
        return record.timestamp() >= 0 ? record.timestamp() : null;
    }
}
