package io.idstream.topics;

import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;

/**
 * How many copies of each partition a deployment keeps, and how many of them must hold a write before it is
 * acknowledged, as resolved for one cluster (the catalogue's {@code idstream.topic.replication.factor}, or the
 * cluster's {@code default.replication.factor} when that is -1). With three or more replicas a write with
 * {@code acks=all} needs all but one of them ({@code min.insync.replicas} = RF - 1), so losing one broker neither
 * loses an acknowledged write nor stops writes; with fewer, the topic keeps the broker's own min ISR (1 by default),
 * since RF - 1 would be 0 or would stop every write when one of two brokers is away. A broker min ISR above such a
 * factor would fail every {@code acks=all} write with NOT_ENOUGH_REPLICAS, so the provisioner refuses that factor
 * (a ConfigException naming {@code idstream.topic.replication.factor}) instead of creating topics with it. Every
 * topic idstream creates, and the internal topics of its Kafka Streams applications, get the same.
 */
public record Replication(short factor, int minInsyncReplicas) {
    /** The catalogue's factor that means "the cluster's {@code default.replication.factor}". */
    public static final short CLUSTER_DEFAULT = -1;
    /** From this factor on, {@code min.insync.replicas} is set to RF - 1 on every topic. */
    public static final short MIN_FACTOR_FOR_MIN_ISR = 3;

    public Replication {
        if (factor < 1) {
            throw new IllegalArgumentException("a resolved replication factor is at least 1: " + factor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor "
                    + factor + ": " + minInsyncReplicas);
        }
    }

    /**
     * The replication idstream uses for this many replicas: min ISR RF - 1 from three replicas on, set on each topic;
     * below, 1 here, while the topics keep the broker's min ISR, which the provisioner has checked is at most RF.
     */
    public static Replication of(short factor) {
        return new Replication(factor, factor >= MIN_FACTOR_FOR_MIN_ISR ? factor - 1 : 1);
    }

    /** Whether idstream sets {@code min.insync.replicas} on its topics (and checks it for drift). */
    public boolean setsMinInsyncReplicas() {
        return factor >= MIN_FACTOR_FOR_MIN_ISR;
    }

    /** The topic configs this replication adds to a topic it creates: min.insync.replicas, or none below RF 3. */
    public Map<String, String> topicConfigs() {
        return setsMinInsyncReplicas()
                ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas))
                : Map.of();
    }
}
