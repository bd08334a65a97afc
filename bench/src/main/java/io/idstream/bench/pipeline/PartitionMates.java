package io.idstream.bench.pipeline;

import io.idstream.topics.HolderKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * Holder ids that share one holder's partition: every holder-keyed topic is partitioned by the holder id with Kafka's
 * default hash ({@link HolderKeys#partitionOf}), so records keyed by these ids land in the same partition of the
 * holder inbox, the audit trail and the stored credentials as the holder's own, and in the same gateway task.
 */
final class PartitionMates {
    private PartitionMates() {
    }

    /**
     * The first {@code count} ids {@code <prefix><n>} (n = 0, 1, ...) whose partition among {@code partitions} is
     * that of {@code holderId}; none of them is {@code holderId}.
     */
    static List<String> of(String holderId, int partitions, String prefix, int count) {
        int partition = HolderKeys.partitionOf(holderId, partitions);
        List<String> mates = new ArrayList<>(count);
        for (long n = 0; mates.size() < count; n++) {
            String candidate = prefix + n;
            if (!candidate.equals(holderId) && HolderKeys.partitionOf(candidate, partitions) == partition) {
                mates.add(candidate);
            }
        }
        return mates;
    }
}
