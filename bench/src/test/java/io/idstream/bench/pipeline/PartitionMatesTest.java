package io.idstream.bench.pipeline;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionMatesTest {

    @Test
    void everyMateLandsWhereKafkasProducerPutsTheHolder() {
        int partitions = 6;
        String holder = "holder-00000";
        int holdersPartition = BuiltInPartitioner.partitionForKey(holder.getBytes(StandardCharsets.UTF_8),
                partitions);

        List<String> mates = PartitionMates.of(holder, partitions, "other-", 500);

        assertThat(mates).hasSize(500).doesNotHaveDuplicates().doesNotContain(holder);
        assertThat(mates).allSatisfy(mate -> assertThat(BuiltInPartitioner.partitionForKey(
                mate.getBytes(StandardCharsets.UTF_8), partitions)).as(mate).isEqualTo(holdersPartition));
    }

    @Test
    void roughlyOneCandidateInPartitionsIsTaken() {
        List<String> mates = PartitionMates.of("holder-00000", 6, "other-", 600);

        long lastTried = Long.parseLong(mates.get(mates.size() - 1).substring("other-".length()));
        // Candidates that fall elsewhere are skipped, not taken: 600 mates of 6 partitions come from ~3,600 tries.
        assertThat(lastTried).isBetween(3_000L, 4_300L);
    }
}
