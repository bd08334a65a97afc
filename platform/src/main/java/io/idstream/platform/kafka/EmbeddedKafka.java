package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.platform.tls.PlatformTls;
import io.idstream.topics.ScramLogins;
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

    private static final String SCRAM = ScramLogins.MECHANISM;
    /** The secure listener's protocol: SCRAM logins over TLS. */
    private static final String SECURE_PROTOCOL = "SASL_SSL";

    private final KafkaRaftServer server;
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

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Map<String, Object> clientConfigs) {
        this.server = server;
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
        String clusterId = formatIfNew(logDir, security);
        Properties props = brokerProperties(logDir, port, controllerPort);
        Map<String, Object> clientConfigs = new java.util.HashMap<>();
        if (security != null) {
            secure(props, port, controllerPort, security);
            clientConfigs.put("security.protocol", SECURE_PROTOCOL);
            clientConfigs.putAll(security.tls().kafkaClientConfigs());
            clientConfigs.put("sasl.mechanism", SCRAM);
            clientConfigs.put("sasl.jaas.config", ScramLogins.jaas(security.adminUser(), security.adminPassword()));
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + port;
        try {
            server.startup();
            awaitReady(bootstrap, clientConfigs);
        } catch (RuntimeException e) {
            stop(server);
            throw new PlatformException("Kafka broker did not start on " + bootstrap + ": " + e.getMessage(), e);
        }
        LOG.info("Kafka broker up bootstrapServers={} clusterId={} logDir={}", bootstrap, clusterId, logDir);
        return new EmbeddedKafka(server, bootstrap, Map.copyOf(clientConfigs));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What a client needs besides the bootstrap servers: in secure mode, the admin's SASL and TLS settings. */
    public Map<String, Object> clientConfigs() {
        return clientConfigs;
    }

    private static void secure(Properties props, int port, int controllerPort, Security security) {
        props.put("listeners", SECURE_PROTOCOL + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER
                + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", SECURE_PROTOCOL + "://127.0.0.1:" + port);
        props.put("inter.broker.listener.name", SECURE_PROTOCOL);
        // The controller listener speaks TLS too: the broker logs in there with the admin's password in PLAIN.
        props.put("listener.security.protocol.map", SECURE_PROTOCOL + ":" + SECURE_PROTOCOL + ","
                + CONTROLLER_LISTENER + ":" + SECURE_PROTOCOL);
        // Every listener presents the platform's certificate; the broker's own connections to its listeners
        // trust the platform's CA and check the host name, as every client does.
        props.putAll(security.tls().keystoreConfigs());
        props.putAll(security.tls().kafkaClientConfigs());
        props.put("sasl.enabled.mechanisms", SCRAM);
        props.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                ScramLogins.jaas(security.adminUser(), security.adminPassword()));
        // SCRAM credentials live in the metadata the controller serves, so the controller listener uses PLAIN
        // with the same admin, known statically.
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + security.adminUser() + "\" password=\"" + security.adminPassword() + "\" user_"
                        + security.adminUser() + "=\"" + security.adminPassword() + "\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + security.adminUser());
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
    private static String formatIfNew(Path logDir, Security security) {
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
                    .setScramArguments(security == null ? List.of() : List.of(SCRAM + "=[name="
                            + security.adminUser() + ",password=" + security.adminPassword() + "]"))
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

    private static void awaitReady(String bootstrap, Map<String, Object> clientConfigs) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfigs);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new PlatformException("broker at " + bootstrap + " did not answer within " + READY_TIMEOUT, e);
        }
    }
}
