package io.idstream.gateway.views;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology tells the instance which holder partitions it took over and gave up, as the tasks of the inbox
 * store (which decides a holder's owner) are assigned and closed: what times the takeover rule of docs/protocol.md
 * section 16 and ends the event streams of holders served elsewhere.
 */
@Timeout(120)
class PartitionOwnershipTopologyTest {
    @Test
    void theInboxTaskOfAPartitionReportsItsTakeoverAndItsEnd() throws Exception {
        GatewayHarness gateway = new GatewayHarness(3);
        GatewayHarness.RecordedChanges changes = gateway.changes;

        assertThat(changes.ownership).containsExactly("assigned 0 of 3");
        gateway.close();

        assertThat(changes.ownership).containsExactly("assigned 0 of 3", "revoked 0 of 3");
    }
}
