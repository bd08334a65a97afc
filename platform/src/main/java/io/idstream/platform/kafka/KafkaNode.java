package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.topics.ScramLogins;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One combined broker and controller of a {@link KafkaClusterLayout}, on a log dir formatted by
 * {@link KafkaLogDir}: the single code path of the one-node {@link EmbeddedKafka} and of every node of an
 * {@link EmbeddedKafkaCluster}. It can be stopped and started again on the same dir and ports.
 */
final class KafkaNode {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long a start may wait for what it needs from the quorum (the metadata to catch up, the broker to be
     * unfenced): without a majority of the controllers it would wait forever.
     */
    private static final Duration MAX_STARTUP = Duration.ofSeconds(60);
    /** The secure listener's protocol: SCRAM logins over TLS. */
    private static final String SECURE_PROTOCOL = "SASL_SSL";

    private final int nodeId;
    private final Path logDir;
    private final KafkaClusterLayout layout;
    private final EmbeddedKafka.Security security;
    private final Duration maxStartup;
    private KafkaRaftServer server;

    KafkaNode(int nodeId, Path logDir, KafkaClusterLayout layout, EmbeddedKafka.Security security) {
        this(nodeId, logDir, layout, security, MAX_STARTUP);
    }

    KafkaNode(int nodeId, Path logDir, KafkaClusterLayout layout, EmbeddedKafka.Security security,
              Duration maxStartup) {
        this.nodeId = nodeId;
        this.logDir = logDir;
        this.layout = layout;
        this.security = security;
        this.maxStartup = maxStartup;
    }

    /** What a client needs besides the bootstrap servers: in secure mode, the admin's SASL and TLS settings. */
    static Map<String, Object> clientConfigs(EmbeddedKafka.Security security) {
        Map<String, Object> clientConfigs = new HashMap<>();
        if (security != null) {
            clientConfigs.put("security.protocol", SECURE_PROTOCOL);
            clientConfigs.putAll(security.tls().kafkaClientConfigs());
            clientConfigs.put("sasl.mechanism", ScramLogins.MECHANISM);
            clientConfigs.put("sasl.jaas.config", ScramLogins.jaas(security.adminUser(), security.adminPassword()));
        }
        return Map.copyOf(clientConfigs);
    }

    /**
     * Starts the node and returns once it serves clients. On a cluster this blocks until a quorum of controllers
     * runs, so the nodes of a cluster are started concurrently; without one it gives up after its max startup time.
     */
    synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
        String address = layout.clientAddress(nodeId);
        try {
            started.startup();
            awaitReady(address, clientConfigs(security));
        } catch (Exception e) {
            // Kafka's start throws checked exceptions undeclared, a TimeoutException past its max startup time.
            stop(started);
            throw new PlatformException("Kafka node " + nodeId + " did not start on " + address + ": "
                    + e.getMessage(), e);
        }
        server = started;
        LOG.info("Kafka node up nodeId={} address={} logDir={}", nodeId, address, logDir);
    }

    /** Shuts the node down gracefully (its partitions' leadership moves to the other nodes first). */
    synchronized void stop() {
        if (server != null) {
            KafkaRaftServer running = server;
            server = null;
            stop(running);
            LOG.info("Kafka node stopped nodeId={}", nodeId);
        }
    }

    synchronized boolean running() {
        return server != null;
    }

    Path logDir() {
        return logDir;
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private Properties properties() {
        int port = layout.clientPort(nodeId);
        int controllerPort = layout.controllerPort(nodeId);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        // A static quorum: the voter set lives in config, so controller ports may change between restarts of the
        // whole cluster without touching the metadata log.
        props.put("controller.quorum.voters", layout.quorumVoters());
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("server.max.startup.time.ms", Long.toString(maxStartup.toMillis()));
        replication(props);
        // Fewer partitions of the internal topics than a cluster's defaults of 50 keep start-up and the first
        // consumer group fast.
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from the catalogue and the processors, never from a typo in a client.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.cleaner.dedupe.buffer.size", Long.toString(16L * 1024 * 1024));
        if (security != null) {
            secure(props, port, controllerPort);
        }
        return props;
    }

    /**
     * Every topic, the internal ones included, gets the layout's replicas and min ISR: on three nodes a write
     * acknowledged to an {@code acks=all} producer is on two of them, and a replica that fell behind never becomes
     * leader, so losing any one node loses nothing acknowledged.
     */
    private void replication(Properties props) {
        String factor = Short.toString(layout.replicationFactor());
        String minInsync = Integer.toString(layout.minInsyncReplicas());
        props.put("default.replication.factor", factor);
        props.put("min.insync.replicas", minInsync);
        props.put("offsets.topic.replication.factor", factor);
        props.put("transaction.state.log.replication.factor", factor);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("share.coordinator.state.topic.replication.factor", factor);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        props.put("unclean.leader.election.enable", "false");
    }

    private void secure(Properties props, int port, int controllerPort) {
        props.put("listeners", SECURE_PROTOCOL + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER
                + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", SECURE_PROTOCOL + "://127.0.0.1:" + port);
        props.put("inter.broker.listener.name", SECURE_PROTOCOL);
        // The controller listener speaks TLS too: the broker logs in there with the admin's password in PLAIN.
        props.put("listener.security.protocol.map", SECURE_PROTOCOL + ":" + SECURE_PROTOCOL + ","
                + CONTROLLER_LISTENER + ":" + SECURE_PROTOCOL);
        // Every listener presents the platform's certificate (for 127.0.0.1, so one serves every node); the
        // broker's own connections to its listeners trust the platform's CA and check the host name, as every
        // client does.
        props.putAll(security.tls().keystoreConfigs());
        props.putAll(security.tls().kafkaClientConfigs());
        props.put("sasl.enabled.mechanisms", ScramLogins.MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", ScramLogins.MECHANISM);
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

    private static void awaitReady(String bootstrap, Map<String, Object> clientConfigs) {
        Map<String, Object> config = new HashMap<>(clientConfigs);
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
