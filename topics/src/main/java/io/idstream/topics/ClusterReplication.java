package io.idstream.topics;

import io.idstream.topics.TopicProvisioner.ProvisioningException;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a deployment's {@link Replication} from the configs its brokers report. A configured factor of -1 becomes
 * the highest {@code default.replication.factor} among the brokers that answered: the brokers of one cluster should
 * agree, and where they do not, the result must not depend on which broker was asked. A factor below three leaves
 * each topic the broker's {@code min.insync.replicas}; when that is above the factor, every {@code acks=all} write to
 * the topic fails with NOT_ENOUGH_REPLICAS, so such a factor is refused before any topic is made with it.
 */
final class ClusterReplication {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReplication.class);
    static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";

    private ClusterReplication() {
    }

    /**
     * @param brokerConfigs the config of each broker that answered, by broker id (may be empty for a configured
     *                      factor, when no broker's config could be read: then nothing is checked)
     * @param brokersListed how many brokers the cluster lists, to warn when a cluster keeps Kafka's default of 1
     */
    static Replication resolve(short configuredFactor, Map<String, Config> brokerConfigs, int brokersListed) {
        Replication resolved = configuredFactor == Replication.CLUSTER_DEFAULT
                ? clusterDefault(brokerConfigs, brokersListed) : Replication.of(configuredFactor);
        Map<String, Integer> minIsrs = settingOfEach(brokerConfigs, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        int brokerMinIsr = minIsrs.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        // From RF 3 on each topic sets its own min ISR (RF - 1); below, it inherits the broker's.
        if (!resolved.setsMinInsyncReplicas() && brokerMinIsr > resolved.factor()) {
            throw new ConfigException(TopicCatalogConfig.REPLICATION_FACTOR, configuredFactor,
                    (configuredFactor == Replication.CLUSTER_DEFAULT ? "the cluster's " + DEFAULT_REPLICATION_FACTOR
                            + " " : "the factor ") + resolved.factor() + " is below the brokers' "
                            + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + " " + brokerMinIsr + " (by broker: " + minIsrs
                            + "), so every write with acks=all would fail with NOT_ENOUGH_REPLICAS; set "
                            + TopicCatalogConfig.REPLICATION_FACTOR + " to at least " + brokerMinIsr
                            + ", or lower the brokers' " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        }
        return resolved;
    }

    private static Replication clusterDefault(Map<String, Config> brokerConfigs, int brokersListed) {
        Map<String, Integer> defaults = settingOfEach(brokerConfigs, DEFAULT_REPLICATION_FACTOR);
        if (defaults.isEmpty()) {
            throw new ProvisioningException("cannot resolve " + TopicCatalogConfig.REPLICATION_FACTOR
                    + "=-1: no broker of " + brokerConfigs.keySet() + " reports a " + DEFAULT_REPLICATION_FACTOR,
                    null);
        }
        short highest = Collections.max(defaults.values()).shortValue();
        if (defaults.values().stream().distinct().count() > 1) {
            LOG.warn("The brokers disagree on {} (by broker: {}): idstream's topics get the highest, {}",
                    DEFAULT_REPLICATION_FACTOR, defaults, highest);
        }
        Replication resolved = Replication.of(highest);
        if (resolved.factor() < Replication.MIN_FACTOR_FOR_MIN_ISR && brokersListed > resolved.factor()) {
            // Kafka's own default.replication.factor is 1: a cluster built for replication may still have it.
            LOG.warn("The cluster has {} brokers but its {} is {}: idstream's topics get {} replica(s) and do not "
                    + "survive the loss of a broker; set the brokers' {} or {}", brokersListed,
                    DEFAULT_REPLICATION_FACTOR, resolved.factor(), resolved.factor(), DEFAULT_REPLICATION_FACTOR,
                    TopicCatalogConfig.REPLICATION_FACTOR);
        }
        LOG.info("Resolved replication from the cluster's {} brokers={} replicationFactor={} minInsyncReplicas={}",
                DEFAULT_REPLICATION_FACTOR, defaults.keySet(), resolved.factor(), resolved.minInsyncReplicas());
        return resolved;
    }

    /** One integer setting of each broker that reports it, by broker id in order. */
    private static Map<String, Integer> settingOfEach(Map<String, Config> brokerConfigs, String key) {
        Map<String, Integer> values = new TreeMap<>();
        brokerConfigs.forEach((broker, config) -> {
            ConfigEntry entry = config == null ? null : config.get(key);
            if (entry != null && entry.value() != null) {
                values.put(broker, Integer.parseInt(entry.value().strip()));
            }
        });
        return values;
    }
}
