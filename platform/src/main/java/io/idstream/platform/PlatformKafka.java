package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import io.idstream.platform.kafka.KafkaClusterLayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Refuses a client port in use, naming {@code --kafka-port}, before anything starts. */
    static void requireFreePorts(PlatformConfig config) {
        int last = config.kafkaPort() + config.nodes() - 1;
        if (last > 65535) {
            throw new PlatformException("--kafka-port " + config.kafkaPort() + " leaves no room for " + config.nodes()
                    + " nodes' consecutive ports (--nodes)");
        }
        for (int port = config.kafkaPort(); port <= last; port++) {
            Ports.requireFree(port, "--kafka-port");
        }
    }

    static PlatformKafka start(PlatformConfig config, EmbeddedKafka.Security security) {
        Path kafkaDir = config.dataDir().resolve("kafka");
        List<Integer> clientPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < config.nodes(); i++) {
            clientPorts.add(config.kafkaPort() + i);
            controllerPorts.add(config.controllerPort() == 0 ? Ports.freePort() : config.controllerPort() + i);
        }
        KafkaClusterLayout layout = new KafkaClusterLayout(clientPorts, controllerPorts);
        if (config.nodes() == 1) {
            return new PlatformKafka(layout, EmbeddedKafka.start(kafkaDir, clientPorts.get(0),
                    controllerPorts.get(0), security), null);
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
