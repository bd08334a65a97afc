package io.idstream.platform.kafka;

import io.idstream.platform.tls.PlatformTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Kafka node in KRaft combined mode (broker and controller), the real {@code kafka.server.KafkaRaftServer}, run
 * in this process. Its log directory is formatted on first start and reused afterwards, so topics and their data
 * survive a restart. It listens on 127.0.0.1 only. Every topic has one replica: nothing is replicated. A cluster of
 * several nodes is an {@link EmbeddedKafkaCluster}; both run their nodes through the same code.
 *
 * <p>The log directory's {@code meta.properties} is the cluster's identity: a directory formatted for another
 * cluster or node, or for a cluster of several nodes, is refused with a message, never reformatted, because that
 * would lose its data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** The single node of the embedded cluster; a log dir formatted for another node id belongs to another cluster. */
    static final int NODE_ID = 1;

    private final KafkaNode node;
    private final String bootstrapServers;
    private final Map<String, Object> clientConfigs;
    private boolean closed;

    /**
     * Secure mode: every listener speaks TLS with the certificate of {@code tls}, clients authenticate with
     * SASL/SCRAM-SHA-512 over it ({@code SASL_SSL}) and StandardAuthorizer checks every request against ACLs;
     * {@code adminUser} is a super user, created (with its SCRAM credential) when the log dir is formatted.
     */
    public record Security(String adminUser, String adminPassword, PlatformTls tls) {
        @Override
        public String toString() {
            return "Security[adminUser=" + adminUser + ", " + tls + "]";
        }
    }

    private EmbeddedKafka(KafkaNode node, String bootstrapServers, Map<String, Object> clientConfigs) {
        this.node = node;
        this.bootstrapServers = bootstrapServers;
        this.clientConfigs = clientConfigs;
    }

    /**
     * Formats {@code logDir} if it is new, starts the node and waits until it serves requests.
     *
     * @param logDir         the Kafka log directory (created if missing)
     * @param port           the client port on 127.0.0.1
     * @param controllerPort the KRaft controller port on 127.0.0.1
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
        return start(logDir, port, controllerPort, null);
    }

    /** As {@link #start(Path, int, int)}, in secure mode when {@code security} is not null. */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort, Security security) {
        String clusterId = KafkaLogDir.formatSingleNode(logDir, security);
        KafkaClusterLayout layout = new KafkaClusterLayout(List.of(port), List.of(controllerPort));
        KafkaNode node = new KafkaNode(NODE_ID, logDir, layout, security);
        node.start();
        LOG.info("Kafka broker up bootstrapServers={} clusterId={} logDir={}", layout.bootstrapServers(), clusterId,
                logDir);
        return new EmbeddedKafka(node, layout.bootstrapServers(), KafkaNode.clientConfigs(security));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What a client needs besides the bootstrap servers: in secure mode, the admin's SASL and TLS settings. */
    public Map<String, Object> clientConfigs() {
        return clientConfigs;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            node.stop();
        }
    }
}
