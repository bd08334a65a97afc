package io.idstream.topics;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** How an existing topic differs from what the catalogue and the resolved {@link Replication} say it should be. */
final class TopicDrifts {
    private TopicDrifts() {
    }

    /** All drift of one of the catalogue's topics: its partition count, its replication and its topic configs. */
    static List<TopicDrift> driftOf(Topic<?, ?> topic, Replication replication, TopicDescription description,
                                    Config config) {
        List<TopicDrift> drift = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != topic.partitions()) {
            drift.add(new TopicDrift(topic.name(), "partitions", Integer.toString(topic.partitions()),
                    Integer.toString(partitions)));
        }
        drift.addAll(replicationDriftOf(topic.name(), replication, description, config));
        drift.addAll(configDrift(topic.name(), topic.configs(), config));
        return drift;
    }

    /**
     * The replication drift of one existing topic: fewer replicas than resolved (more are as safe or safer), another
     * min.insync.replicas from RF 3 on, and a partition whose in-sync replicas are fewer than its replicas now (a
     * broker away or behind), reported with the partition that has the fewest.
     */
    static List<TopicDrift> replicationDriftOf(String topic, Replication replication, TopicDescription description,
                                               Config config) {
        List<TopicDrift> drift = new ArrayList<>();
        int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (replicas < replication.factor()) {
            drift.add(new TopicDrift(topic, TopicProvisioner.REPLICATION_FACTOR, Short.toString(replication.factor()),
                    Integer.toString(replicas)));
        }
        drift.addAll(configDrift(topic, replication.topicConfigs(), config));
        description.partitions().stream().filter(p -> p.isr().size() < p.replicas().size())
                .min(Comparator.comparingInt(p -> p.isr().size()))
                .ifPresent(fewest -> drift.add(new TopicDrift(topic, TopicProvisioner.IN_SYNC_REPLICAS,
                        Integer.toString(fewest.replicas().size()), Integer.toString(fewest.isr().size()))));
        return drift;
    }

    private static List<TopicDrift> configDrift(String topic, Map<String, String> expectedConfigs, Config config) {
        List<TopicDrift> drift = new ArrayList<>();
        expectedConfigs.forEach((key, expected) -> {
            ConfigEntry entry = config.get(key);
            String actual = entry == null ? null : entry.value();
            if (!expected.equals(actual)) {
                drift.add(new TopicDrift(topic, key, expected, String.valueOf(actual)));
            }
        });
        return drift;
    }
}
