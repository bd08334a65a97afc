package io.idstream.bench.pipeline;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * How far a consumer group (the processors', the gateway's) is behind on some topics: the records after its committed
 * offsets. Under exactly-once the committed offset moves with each transaction, so a lag of 0 means the group has
 * taken, and made readable, everything written so far.
 */
final class ConsumerLag {
    private final Admin admin;
    private final String groupId;
    private final Consumer<String> progress;

    ConsumerLag(Admin admin, String groupId, Consumer<String> progress) {
        this.admin = admin;
        this.groupId = groupId;
        this.progress = progress;
    }

    /** Waits until the group has committed every record of the topics; false after the timeout. */
    boolean awaitZero(List<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long lag;
            try {
                lag = of(topics);
            } catch (ExecutionException e) {
                progress.accept("cannot read the progress of " + groupId + ": " + e.getCause());
                lag = -1;
            }
            if (lag == 0) {
                return true;
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(15).toNanos()) {
                progress.accept(lag + " records of " + topics + " not taken by " + groupId + " yet");
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
        progress.accept(groupId + " did not catch up with " + topics + " within " + timeout);
        return false;
    }

    /** The records of the topics after the group's committed offsets. */
    long of(List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }
}
