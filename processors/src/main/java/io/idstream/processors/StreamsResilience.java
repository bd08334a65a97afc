package io.idstream.processors;

import io.idstream.topics.Replication;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Streams settings that keep idstream's Streams applications (the processors, the holder gateway) safe on
 * a replicated cluster and quick to fail over: their internal topics replicated like the catalogue's
 * ({@link Replication}), a warm standby copy of each state store, a consumer session short enough that a killed
 * instance's tasks move within seconds, and writes that every in-sync replica holds. Rack awareness
 * ({@code client.rack}, {@code rack.aware.assignment.tags}, {@code client.tag.*},
 * {@code rack.aware.assignment.strategy}) is not declared here: like every Streams key, it passes through as given.
 */
public final class StreamsResilience {
    public static final String NUM_STANDBY_REPLICAS = StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
    public static final String SESSION_TIMEOUT_MS = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
    public static final String HEARTBEAT_INTERVAL_MS = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG;
    /**
     * A SIGKILLed instance never leaves its group: its tasks move to another instance only once the group
     * coordinator has heard no heartbeat for the session timeout. The consumer's default of 45 s would leave holders
     * unanswered that long; 10 s (the broker's group.min.session.timeout.ms is 6 s) with a heartbeat every 3 s
     * tolerates two lost heartbeats and still fails over in about 10 s.
     */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
    static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

    /** The settings that a user could give to weaken what every write must reach, with and without Streams' prefix. */
    private static final List<String> ACKS_KEYS = List.of(ProducerConfig.ACKS_CONFIG,
            StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG));
    private static final List<String> IDEMPOTENCE_KEYS = List.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));

    private StreamsResilience() {
    }

    /**
     * Adds the standby and session settings, with their defaults, to an application's definition.
     *
     * @param storesOwner whose state stores, as the doc names them: "the processors'", "the gateway's"
     */
    public static ConfigDef define(ConfigDef definition, String storesOwner) {
        return definition
                .define(NUM_STANDBY_REPLICAS, Type.INT, 1, ConfigDef.Range.atLeast(0), Importance.HIGH,
                        "Standby copies of each of " + storesOwner + " state stores, kept up to date on other "
                                + "instances so that a failed instance's tasks resume there without restoring "
                                + "their stores from the changelogs. It takes effect only once a second instance "
                                + "runs: a lone instance has nowhere to keep a standby.")
                .define(SESSION_TIMEOUT_MS, Type.INT, DEFAULT_SESSION_TIMEOUT_MS, ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM, "How long the group waits without a heartbeat from an instance before "
                                + "its tasks move to the others: what a killed instance costs. 10 s rather than "
                                + "the consumer's 45 s; within the broker's group.min.session.timeout.ms and "
                                + "group.max.session.timeout.ms. Used by the classic group protocol (the default); under "
                                + "group.protocol=streams the broker's group.streams.session.timeout.ms governs.")
                .define(HEARTBEAT_INTERVAL_MS, Type.INT, DEFAULT_HEARTBEAT_INTERVAL_MS, ConfigDef.Range.atLeast(1),
                        Importance.LOW, "How often an instance heartbeats to its group; a third of the session "
                                + "timeout, so that two lost heartbeats do not cost the instance its tasks.");
    }

    /**
     * Puts the replication of the internal topics ({@code replication.factor}, and {@code topic.min.insync.replicas}
     * from RF 3 on) and the standby and session settings into {@code props}. Writes keep the producer's
     * {@code acks=all} and the idempotence exactly-once needs: a setting of {@code acks} other than all, or of
     * {@code enable.idempotence=false} (plain or {@code producer.}-prefixed), is refused with a ConfigException naming
     * it, since an acknowledged write must be on every in-sync replica, or a broker's loss could lose a delivery the
     * holder was told about.
     */
    public static void apply(AbstractConfig config, Properties props, Replication replication) {
        Map<String, Object> originals = config.originals();
        for (String key : ACKS_KEYS) {
            Object acks = originals.get(key);
            if (acks != null && !List.of("all", "-1").contains(String.valueOf(acks).strip().toLowerCase())) {
                throw new ConfigException(key, acks, "writes must be acknowledged by every in-sync replica: "
                        + "only all (or -1) is allowed");
            }
        }
        for (String key : IDEMPOTENCE_KEYS) {
            Object idempotence = originals.get(key);
            if (idempotence != null && !"true".equalsIgnoreCase(String.valueOf(idempotence).strip())) {
                throw new ConfigException(key, idempotence, "exactly-once needs idempotent writes: only true is "
                        + "allowed");
            }
        }
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
        if (replication.setsMinInsyncReplicas()) {
            props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                    Integer.toString(replication.minInsyncReplicas()));
        }
        props.put(NUM_STANDBY_REPLICAS, config.getInt(NUM_STANDBY_REPLICAS));
        // Plain consumer keys: Streams gives them to its main consumer, the group member; a user's
        // main.consumer.-prefixed setting still wins over them. Under the streams group protocol the broker's
        // group.streams.session.timeout.ms governs instead, and the client keys are not for it.
        if (!"streams".equalsIgnoreCase(String.valueOf(originals.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)).strip())) {
            props.put(SESSION_TIMEOUT_MS, config.getInt(SESSION_TIMEOUT_MS));
            props.put(HEARTBEAT_INTERVAL_MS, config.getInt(HEARTBEAT_INTERVAL_MS));
        }
    }
}
