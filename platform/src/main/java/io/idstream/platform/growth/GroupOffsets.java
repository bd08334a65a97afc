package io.idstream.platform.growth;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The processors' committed offsets: read from the old group, written for the new one. */
final class GroupOffsets {
    private GroupOffsets() {
    }

    /**
     * The group's committed offset of each partition of {@code topic}, by partition; stable ones only, so that an
     * offset committed in a transaction still open is waited for rather than missed.
     */
    static Map<Integer, Long> committed(Admin admin, String group, String topic, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = AdminCalls.await(admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(), timeout,
                "read the offsets of the consumer group " + group);
        Map<Integer, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    /** Forgets the group, so that a growth cut short and started over leaves none of its offsets behind. */
    static void delete(Admin admin, String group, Duration timeout) {
        AdminCalls.await(admin.deleteConsumerGroups(List.of(group)).all(), timeout,
                "delete the consumer group " + group, GroupIdNotFoundException.class, null);
    }

    /** Commits {@code offsets} for the group, which has no members. */
    static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
        AdminCalls.await(admin.alterConsumerGroupOffsets(group, commits).all(), timeout,
                "set the offsets of the consumer group " + group);
    }
}
