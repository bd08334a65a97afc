package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import io.idstream.platform.kafka.KafkaClusterLayout;

import java.nio.file.Path;
import java.util.Map;

/**
 * The platform's Kafka: one node in {@code <data dir>/kafka} (unreplicated), or, with
 * {@link PlatformConfig#NODES} above one, an {@link EmbeddedKafkaCluster} of that many nodes in
 * {@code <data dir>/kafka/node-<id>}, serving clients on consecutive ports from the Kafka port.
 */
final class PlatformKafka implements AutoCloseable {
    private final KafkaClusterLayout layout;
    private final EmbeddedKafka node;
    private final EmbeddedKafkaCluster cluster;
    private final Map<String, Object> clientConfigs;

    private PlatformKafka(KafkaClusterLayout layout, EmbeddedKafka node, EmbeddedKafkaCluster cluster) {
        this.layout = layout;
        this.node = node;
        this.cluster = cluster;
        this.clientConfigs = node != null ? node.clientConfigs() : cluster.clientConfigs();
    }

    /**
     * Refuses a client port in use, naming {@code --kafka-port}, and a fixed controller port in use, naming
     * {@link PlatformConfig#CONTROLLER_PORT}, before anything starts.
     */
    static void requireFreePorts(PlatformConfig config) {
        if (config.controllerPort() != 0 && config.controllerPort() < config.kafkaPort() + config.nodes()
                && config.kafkaPort() < config.controllerPort() + config.nodes()) {
            throw new PlatformException(PlatformConfig.CONTROLLER_PORT + " " + config.controllerPort()
                    + " and --kafka-port " + config.kafkaPort() + " give " + config.nodes()
                    + " nodes (--nodes) overlapping ports");
        }
        requireFreeRange(config.kafkaPort(), config.nodes(), "--kafka-port");
        if (config.controllerPort() != 0) {
            requireFreeRange(config.controllerPort(), config.nodes(), PlatformConfig.CONTROLLER_PORT);
        }
    }

    private static void requireFreeRange(int first, int nodes, String option) {
        int last = first + nodes - 1;
        if (last > 65535) {
            throw new PlatformException(option + " " + first + " leaves no room for " + nodes
                    + " nodes' consecutive ports (--nodes)");
        }
        for (int port = first; port <= last; port++) {
            Ports.requireFree(port, option);
        }
    }

    static PlatformKafka start(PlatformConfig config, EmbeddedKafka.Security security) {
        Path kafkaDir = config.dataDir().resolve("kafka");
        KafkaClusterLayout layout = KafkaClusterLayout.consecutive(config.nodes(), config.kafkaPort(),
                config.controllerPort());
        if (config.nodes() == 1) {
            return new PlatformKafka(layout, EmbeddedKafka.start(kafkaDir, layout.clientPort(1),
                    layout.controllerPort(1), security), null);
        }
        return new PlatformKafka(layout, null, EmbeddedKafkaCluster.start(kafkaDir, layout, security));
    }

    KafkaClusterLayout layout() {
        return layout;
    }

    String bootstrapServers() {
        return layout.bootstrapServers();
    }

    Map<String, Object> clientConfigs() {
        return clientConfigs;
    }

    /** The cluster, or null for a single node. */
    EmbeddedKafkaCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        } else {
            cluster.close();
        }
    }
}
