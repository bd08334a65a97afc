package io.idstream.platform.kafka;

import io.idstream.platform.Ports;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a cluster's nodes listen: every port its own, and replication by the one rule of the catalogue. */
class KafkaClusterLayoutTest {
    @Test
    void aLayoutWhoseNodesShareAPortIsRefused() {
        assertThatThrownBy(() -> new KafkaClusterLayout(List.of(9092, 9093), List.of(9093, 9094)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cluster's ports must all differ, got client ports [9092, 9093] and controller ports "
                        + "[9093, 9094]");
    }

    @Test
    void freePortsAreChosenAllAtOnceSoNoneRepeats() {
        // A thousand picks of some 28 000 ephemeral ports: ports released one by one would repeat among them almost surely.
        List<Integer> ports = Ports.freePorts(1000, Set.of());

        assertThat(new HashSet<>(ports)).hasSize(1000);
    }

    @Test
    void replicationFollowsTheCataloguesRule() {
        assertThat(KafkaClusterLayout.consecutive(1, 0)).extracting(KafkaClusterLayout::replicationFactor,
                KafkaClusterLayout::minInsyncReplicas).containsExactly((short) 1, 1);
        assertThat(KafkaClusterLayout.consecutive(3, 0)).extracting(KafkaClusterLayout::replicationFactor,
                KafkaClusterLayout::minInsyncReplicas).containsExactly((short) 3, 2);
        assertThat(KafkaClusterLayout.consecutive(5, 0)).extracting(KafkaClusterLayout::replicationFactor,
                KafkaClusterLayout::minInsyncReplicas).containsExactly((short) 3, 2);
    }
}
