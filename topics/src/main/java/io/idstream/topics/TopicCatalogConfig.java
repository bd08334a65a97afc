package io.idstream.topics;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;

/** How the catalogue names and sizes topics in one deployment. */
public final class TopicCatalogConfig extends AbstractConfig {
    public static final String TOPIC_PREFIX = "idstream.topic.prefix";
    public static final String PARTITIONS = "idstream.topic.partitions";
    public static final String REPLICATION_FACTOR = "idstream.topic.replication.factor";
    /**
     * The generation of the holder-keyed topics in use. Components do not take it from their settings but from the
     * deployment's generation topic ({@link TopicGenerations#resolve}), which also sets {@link #PARTITIONS} to the
     * generation's count.
     */
    public static final String GENERATION = "idstream.topic.generation";

    /** Principal ids are lowercase letters, digits and dashes, so a prefix in the same alphabet plus dots is safe. */
    private static final String PREFIX_PATTERN = "^[a-z0-9][a-z0-9.-]{0,100}$";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX, Type.STRING, "idstream", prefixValidator(), Importance.MEDIUM,
                    "Prefix of every idstream topic name, such as idstream in idstream.access.requests.")
            .define(PARTITIONS, Type.INT, 6, ConfigDef.Range.between(1, 10_000), Importance.HIGH,
                    "Partitions of every holder-keyed topic. They must all have the same count, so that one stream "
                            + "task owns all of one holder's state; the count fixes the processors' maximum parallelism.")
            .define(REPLICATION_FACTOR, Type.SHORT, Replication.CLUSTER_DEFAULT, replicationFactorValidator(),
                    Importance.HIGH, "Replication factor of every topic idstream creates, and of its Kafka Streams "
                            + "applications' internal topics. -1 (the default) takes the cluster's "
                            + "default.replication.factor, read from a broker when the topics are provisioned: 1 on "
                            + "the embedded single broker, 3 on a cluster configured for it. From 3 replicas on, "
                            + "each topic also gets min.insync.replicas = RF - 1.")
            .define(GENERATION, Type.INT, 0, ConfigDef.Range.between(0, TopicGeneration.MAX_GENERATION),
                    Importance.LOW, "Generation of the holder-keyed topics: 0 names them <prefix>.<name>, a later one "
                            + "<prefix>.g<generation>.<name>. Read from the <prefix>.generation topic, which "
                            + "'idstream topics grow' writes, rather than set by hand.");

    public TopicCatalogConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public int partitions() {
        return getInt(PARTITIONS);
    }

    public int generation() {
        return getInt(GENERATION);
    }

    /** The configured factor, or {@link Replication#CLUSTER_DEFAULT} for the cluster's default. */
    public short replicationFactor() {
        return getShort(REPLICATION_FACTOR);
    }

    /** The configured factor; {@link Replication#CLUSTER_DEFAULT} means the cluster's own default. */
    private static ConfigDef.Validator replicationFactorValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            short factor = value == null ? 0 : (Short) value;
            if (factor != Replication.CLUSTER_DEFAULT && (factor < 1 || factor > 32)) {
                throw new ConfigException(name, value, "must be -1 (the cluster's default.replication.factor) "
                        + "or between 1 and 32");
            }
        }, () -> "-1 (the cluster's default) or 1..32");
    }

    private static ConfigDef.Validator prefixValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value == null || !((String) value).matches(PREFIX_PATTERN)) {
                throw new ConfigException(name, value, "must match " + PREFIX_PATTERN);
            }
        }, () -> "lowercase letters, digits, dots and dashes");
    }
}
