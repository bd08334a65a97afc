package io.idstream.topics;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads partitions from their beginning to the end offsets they have when the read starts: the one way idstream
 * answers "everything written so far" (a holder's inbox, the registry's log, a test's look at a topic). Each poll
 * blocks until records arrive, so nothing sleeps; with {@code read_committed} the end is the last stable offset,
 * so aborted transactions are skipped and the read still ends.
 */
public final class PartitionReader {
    private PartitionReader() {
    }

    /**
     * Assigns {@code partitions} to {@code consumer}, reads each from its beginning to the end offset it has now and
     * hands every record, in offset order per partition, to {@code sink}.
     *
     * @throws TimeoutException if the end is not reached within {@code timeout}; the message names the partitions
     */
    public static <K, V> void readToEnd(Consumer<K, V> consumer, Collection<TopicPartition> partitions,
                                        Duration timeout, java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        List<TopicPartition> assigned = List.copyOf(partitions);
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, ends, timeout)) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new TimeoutException("cannot read " + assigned + " to the end offsets " + ends + " within "
                        + timeout.toSeconds() + " s");
            }
            consumer.poll(Duration.ofNanos(remaining)).forEach(sink);
        }
    }

    /** Every partition of {@code topic}, as the consumer's metadata shows them. */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    private static boolean reachedEnd(Consumer<?, ?> consumer, Map<TopicPartition, Long> ends, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), timeout) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
