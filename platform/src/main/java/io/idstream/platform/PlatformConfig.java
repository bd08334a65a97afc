package io.idstream.platform;

import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Settings of the embedded platform; the topic catalogue's settings are accepted too and passed on to it. */
public final class PlatformConfig extends AbstractConfig {
    public static final String DATA_DIR = "idstream.data.dir";
    public static final String KAFKA_PORT = "idstream.kafka.port";
    public static final String CONTROLLER_PORT = "idstream.kafka.controller.port";
    public static final String REGISTRY_PORT = "idstream.registry.port";
    public static final String PROCESSORS_ENABLED = "idstream.platform.processors";
    public static final String METRICS_PORT = ProcessorsConfig.METRICS_PORT;
    public static final String SECURE = "idstream.platform.secure";
    public static final String CONNECT_ENABLED = "idstream.platform.connect";
    public static final String CONNECT_PORT = "idstream.connect.port";
    public static final String CONNECT_PLUGIN_PATH = "idstream.connect.plugin.path";
    public static final String GATEWAY_ENABLED = "idstream.platform.gateway";
    public static final String GATEWAY_PORT = "idstream.gateway.port";
    public static final String NODES = "idstream.platform.nodes";

    public static final String DEFAULT_DATA_DIR = "./.idstream/data";

    public static final ConfigDef DEFINITION = new ConfigDef(TopicCatalogConfig.DEFINITION)
            .define(DATA_DIR, Type.STRING, DEFAULT_DATA_DIR, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Directory holding the broker's log and the platform's state; kept across restarts.")
            .define(KAFKA_PORT, Type.INT, 9092, ConfigDef.Range.between(1, 65535), Importance.HIGH,
                    "Port of the Kafka listener on 127.0.0.1; with several nodes, node i listens on this port + "
                            + "i - 1.")
            .define(NODES, Type.INT, 1, new QuorumSize(), Importance.MEDIUM,
                    "Kafka nodes (each a broker and a KRaft controller) the platform runs in its process, on "
                            + "consecutive ports: 1, 3 or 5. 1 replicates nothing; 3 to try failover on one machine: "
                            + "every topic gets 3 replicas and min.insync.replicas 2, so any one node may stop. "
                            + "Chosen when the data dir is first formatted.")
            .define(CONTROLLER_PORT, Type.INT, 0, ConfigDef.Range.between(0, 65535), Importance.LOW,
                    "Port of the KRaft controller listener on 127.0.0.1; with several nodes, node i's is this port "
                            + "+ i - 1; 0 picks free ones at each start.")
            .define(REGISTRY_PORT, Type.INT, 8081, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "Port of the Schema Registry on 127.0.0.1; 0 picks a free one.")
            .define(METRICS_PORT, Type.INT, -1, ConfigDef.Range.between(-1, 65535), Importance.LOW,
                    "Port on 127.0.0.1 of the processors' Prometheus /metrics and /health; -1 serves none, 0 a "
                            + "free port.")
            .define(SECURE, Type.BOOLEAN, false, Importance.HIGH,
                    "Whether every port speaks TLS only (with a CA of the data dir's own, <data dir>/tls/ca.pem), "
                            + "Kafka authenticates clients (SASL/SCRAM-SHA-512) and authorizes them by ACLs. Chosen "
                            + "when the data dir is first formatted; the admin's credentials are kept in "
                            + "<data dir>/secrets/admin.properties.")
            .define(CONNECT_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Whether the platform runs a Kafka Connect worker (distributed mode) in its own process, for "
                            + "the webhook sink.")
            .define(CONNECT_PORT, Type.INT, 8083, ConfigDef.Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the Connect worker's REST API on 127.0.0.1; 0 picks a free one.")
            .define(CONNECT_PLUGIN_PATH, Type.STRING, "", Importance.LOW,
                    "The Connect worker's plugin.path (directories of plugin directories); empty loads the "
                            + "plugins on the class path, the webhook sink among them.")
            .define(GATEWAY_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Whether the platform runs the holder gateway (the holders' HTTP API) in its own process, "
                            + "after the processors; in secure mode it logs in to Kafka as idstream-gateway, whose "
                            + "password is kept in <data dir>/secrets/gateway.properties.")
            .define(GATEWAY_PORT, Type.INT, 8090, ConfigDef.Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the holder gateway's HTTP API on 127.0.0.1; 0 picks a free one.")
            .define(PROCESSORS_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                    "Whether the platform runs the processors in its own process; off for a platform that only "
                            + "serves Kafka and the registry.");

    /**
     * 1, 3 or 5 nodes: the controllers' quorum needs a majority running, so 2 nodes survive no failure, as 1 does,
     * and 4 survive one, as 3 do.
     */
    private static final class QuorumSize implements ConfigDef.Validator {
        private static final Set<Integer> SIZES = Set.of(1, 3, 5);

        @Override
        public void ensureValid(String name, Object value) {
            if (!SIZES.contains(value)) {
                throw new ConfigException(name, value, "must be 1, 3 or 5: a quorum of 2 or 4 controllers survives "
                        + "no more failures than one of 1 or 3");
            }
        }

        @Override
        public String toString() {
            return "[1, 3, 5]";
        }
    }

    public PlatformConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public Path dataDir() {
        return Path.of(getString(DATA_DIR)).toAbsolutePath().normalize();
    }

    public int kafkaPort() {
        return getInt(KAFKA_PORT);
    }

    public int nodes() {
        return getInt(NODES);
    }

    public int controllerPort() {
        return getInt(CONTROLLER_PORT);
    }

    public boolean secure() {
        return getBoolean(SECURE);
    }

    public int metricsPort() {
        return getInt(METRICS_PORT);
    }

    public boolean connectEnabled() {
        return getBoolean(CONNECT_ENABLED);
    }

    public int connectPort() {
        return getInt(CONNECT_PORT);
    }

    /** The Connect worker's plugin path, or null for the class path only. */
    public Path connectPluginPath() {
        String path = getString(CONNECT_PLUGIN_PATH);
        return path.isBlank() ? null : Path.of(path).toAbsolutePath().normalize();
    }

    public boolean gatewayEnabled() {
        return getBoolean(GATEWAY_ENABLED);
    }

    public int gatewayPort() {
        return getInt(GATEWAY_PORT);
    }

    public boolean processorsEnabled() {
        return getBoolean(PROCESSORS_ENABLED);
    }

    public int registryPort() {
        return getInt(REGISTRY_PORT);
    }
}
