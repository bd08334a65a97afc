package io.idstream.gateway.views;

import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder's views all live in one Kafka Streams task: the topology has a single sub-topology that holds every
 * holder store, so the instance that owns the inbox store's task for a partition (the owner
 * {@link LocalHolderViews#ownerOf} names) also holds that partition's credentials, audit trail, grants, write grants,
 * consent requests and backups.
 */
@Timeout(120)
class HolderTaskTopologyTest {
    private static final Set<String> HOLDER_STORES = Set.of(GatewayStores.INBOX, GatewayStores.ANSWERED,
            GatewayStores.CREDENTIALS, GatewayStores.GRANTS, GatewayStores.AUDIT, GatewayStores.EXPIRY,
            GatewayStores.WRITE_GRANTS, GatewayStores.CONSENT_REQUESTS, GatewayStores.BACKUPS);

    @Test
    void everyHolderStoreIsInTheOneSubTopologyThatReadsTheHolderTopics() throws Exception {
        try (GatewayHarness gateway = new GatewayHarness(3)) {
            TopologyDescription description = gateway.topology.describe();
            List<Set<String>> storesBySubtopology = description.subtopologies().stream()
                    .map(sub -> sub.nodes().stream()
                            .filter(node -> node instanceof TopologyDescription.Processor)
                            .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                            .collect(Collectors.toCollection(TreeSet::new)))
                    .map(stores -> (Set<String>) stores)
                    .toList();

            assertThat(storesBySubtopology)
                    .as("the stores of each sub-topology of %s", description)
                    .containsExactly(new TreeSet<>(HOLDER_STORES));
        }
    }
}
