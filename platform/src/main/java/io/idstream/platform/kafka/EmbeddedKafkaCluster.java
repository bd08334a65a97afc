package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Kafka cluster of N combined broker and controller nodes in this process, laid out by a
 * {@link KafkaClusterLayout}, for trying failover on one machine: node {@code i} keeps its log dir in
 * {@code <kafka dir>/node-i}, all share one cluster id ({@code <kafka dir>/cluster.id}), and every topic gets the
 * layout's replication factor and min ISR. A node can be stopped and started again on the same dir and ports while
 * the others serve; a cluster of three keeps accepting {@code acks=all} writes with any one node down.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final KafkaClusterLayout layout;
    private final List<KafkaNode> nodes;
    private final Map<String, Object> clientConfigs;
    private boolean closed;

    private EmbeddedKafkaCluster(KafkaClusterLayout layout, List<KafkaNode> nodes, Map<String, Object> clientConfigs) {
        this.layout = layout;
        this.nodes = nodes;
        this.clientConfigs = clientConfigs;
    }

    /**
     * Formats the nodes' dirs when the cluster is new (a node dir lost from an existing cluster is refused), starts
     * every node at once (each waits for a quorum of controllers) and returns once all serve.
     *
     * @param kafkaDir the cluster's dir (created if missing)
     * @param security secure mode (TLS, SCRAM, ACLs) for every node, or null for plaintext
     */
    public static EmbeddedKafkaCluster start(Path kafkaDir, KafkaClusterLayout layout,
                                             EmbeddedKafka.Security security) {
        String clusterId = KafkaLogDir.formatCluster(kafkaDir, layout.nodes(), security);
        List<KafkaNode> nodes = new ArrayList<>();
        for (int id = 1; id <= layout.nodes(); id++) {
            nodes.add(new KafkaNode(id, KafkaLogDir.nodeDir(kafkaDir, id), layout, security));
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(layout, nodes, KafkaNode.clientConfigs(security));
        try {
            CompletableFuture.allOf(nodes.stream()
                    .map(node -> CompletableFuture.runAsync(node::start, EmbeddedKafkaCluster::runOnNewThread))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            cluster.close();
            throw e.getCause() instanceof PlatformException failure ? failure
                    : new PlatformException("Kafka cluster did not start: " + e.getCause(), e.getCause());
        }
        LOG.info("Kafka cluster up bootstrapServers={} clusterId={} kafkaDir={} replicationFactor={} minInsync={}",
                layout.bootstrapServers(), clusterId, kafkaDir, layout.replicationFactor(),
                layout.minInsyncReplicas());
        return cluster;
    }

    private static void runOnNewThread(Runnable start) {
        Thread thread = new Thread(start, "kafka-node");
        thread.setDaemon(true);
        thread.start();
    }

    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** What a client needs besides the bootstrap servers: in secure mode, the admin's SASL and TLS settings. */
    public Map<String, Object> clientConfigs() {
        return clientConfigs;
    }

    public KafkaClusterLayout layout() {
        return layout;
    }

    /** Stops node {@code nodeId} gracefully; its partitions are led by the other nodes meanwhile. */
    public void stopNode(int nodeId) {
        node(nodeId).stop();
    }

    /** Starts node {@code nodeId} again on its dir and ports, and returns once it serves. */
    public void startNode(int nodeId) {
        node(nodeId).start();
    }

    public boolean running(int nodeId) {
        return node(nodeId).running();
    }

    public Path nodeDir(int nodeId) {
        return node(nodeId).logDir();
    }

    private KafkaNode node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + nodes.size()
                    + " (nodes are 1.." + nodes.size() + ")");
        }
        return nodes.get(nodeId - 1);
    }

    /** Stops every node, all at once: a node stopped alone would wait for a quorum its stopped peers no longer form. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture.allOf(nodes.stream()
                .map(node -> CompletableFuture.runAsync(node::stop, EmbeddedKafkaCluster::runOnNewThread))
                .toArray(CompletableFuture[]::new)).join();
    }
}
