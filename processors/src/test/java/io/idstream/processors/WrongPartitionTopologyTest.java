package io.idstream.processors;

import io.idstream.avro.DecisionEvent;
import io.idstream.mapping.DecisionRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.TopicCatalogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The partition rule of docs/protocol.md section 11 on the real topology: the driver reads every input as partition
 * 0, so with two partitions configured, a record whose key hashes to partition 1 is one written to the wrong
 * partition. It is refused as {@code wrong-partition}; a record whose key hashes to 0 is processed.
 */
@Timeout(60)
class WrongPartitionTopologyTest {
    static final int PARTITIONS = 2;

    TopologyHarness harness;

    @BeforeEach
    void startHarness() throws Exception {
        harness = new TopologyHarness(Map.of(TopicCatalogConfig.PARTITIONS, PARTITIONS));
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void aRegistrationInAnotherPartitionThanItsKeysIsRefused() {
        String inPartitionZero = holderIdInPartition(0);
        String inPartitionOne = holderIdInPartition(1);

        harness.register(inPartitionZero, "holder");
        harness.register(inPartitionOne, "holder");

        assertThat(harness.verified.readKeyValuesToList()).as("ids verified").extracting(kv -> kv.key)
                .containsExactly(inPartitionZero);
        assertThat(harness.rejections()).as("rejections")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("wrong-partition", harness.catalog.directory().name()));
    }

    @Test
    void aHoldersDecisionInAnotherPartitionThanItsKeysIsRefused() {
        Party holder = new Party(holderIdInPartition(1), "holder");

        harness.decisions.pipeInput(holder.id, new DecisionEvent(DecisionRecords.denial(holder.signing,
                UUID.randomUUID().toString(), holder.id, harness.now())));

        assertThat(harness.rejections()).as("rejections")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("wrong-partition", harness.catalog.accessDecisions().name()));
    }

    private static String holderIdInPartition(int partition) {
        return IntStream.range(0, 100).mapToObj(i -> "holder-" + i)
                .filter(id -> HolderKeys.partitionOf(id, PARTITIONS) == partition).findFirst().orElseThrow();
    }
}
