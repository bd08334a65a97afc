package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka node in KRaft combined mode (broker and controller), the real {@code kafka.server.KafkaRaftServer}, run
 * in this process. Its log directory is formatted on first start and reused afterwards, so topics and their data
 * survive a restart. It listens on 127.0.0.1 only.
 *
 * <p>The log directory's {@code meta.properties} is the cluster's identity: a directory formatted for another
 * cluster or node is refused with a message, never reformatted, because that would lose its data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** The single node of the embedded cluster; a log dir formatted for another node id belongs to another cluster. */
    static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code logDir} if it is new, starts the node and waits until it serves requests.
     *
     * @param logDir         the Kafka log directory (created if missing)
     * @param port           the client port on 127.0.0.1
     * @param controllerPort the KRaft controller port on 127.0.0.1
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
        String clusterId = formatIfNew(logDir);
        Properties props = brokerProperties(logDir, port, controllerPort);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + port;
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (RuntimeException e) {
            stop(server);
            throw new PlatformException("Kafka broker did not start on " + bootstrap + ": " + e.getMessage(), e);
        }
        LOG.info("Kafka broker up bootstrapServers={} clusterId={} logDir={}", bootstrap, clusterId, logDir);
        return new EmbeddedKafka(server, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop(server);
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Returns the directory's cluster id, formatting it with a new one first if it has none. */
    private static String formatIfNew(Path logDir) {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(meta)) {
                properties.load(in);
            } catch (IOException e) {
                throw new PlatformException("cannot read " + meta + ": " + e.getMessage(), e);
            }
            String nodeId = properties.getProperty("node.id");
            String clusterId = properties.getProperty("cluster.id");
            if (!Integer.toString(NODE_ID).equals(nodeId) || clusterId == null) {
                throw new PlatformException("data dir " + logDir + " belongs to another Kafka cluster (cluster.id="
                        + clusterId + ", node.id=" + nodeId + "); choose another --data-dir");
            }
            return clusterId;
        }
        requireEmptyOrAbsent(logDir);
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                    .setClusterId(clusterId)
                    .setNodeId(NODE_ID)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new PlatformException("cannot format Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted Kafka log dir {} for new cluster {}", logDir, clusterId);
        return clusterId;
    }

    private static void requireEmptyOrAbsent(Path logDir) {
        if (!Files.exists(logDir)) {
            return;
        }
        try (var entries = Files.list(logDir)) {
            if (entries.findAny().isPresent()) {
                throw new PlatformException("data dir " + logDir + " is not empty and holds no Kafka cluster "
                        + "(no meta.properties); choose another --data-dir");
            }
        } catch (IOException e) {
            throw new PlatformException("cannot read data dir " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static quorum of this one node: the voter set lives in config, so the controller port may change
        // between restarts without touching the metadata log.
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and fewer partitions than a cluster's defaults of 50
        // keep start-up and the first consumer group fast.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from the catalogue and the processors, never from a typo in a client.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.cleaner.dedupe.buffer.size", Long.toString(16L * 1024 * 1024));
        return props;
    }

    private static void awaitReady(String bootstrap) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new PlatformException("broker at " + bootstrap + " did not answer within " + READY_TIMEOUT, e);
        }
    }
}
