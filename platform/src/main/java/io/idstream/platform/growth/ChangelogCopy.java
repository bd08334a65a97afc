package io.idstream.platform.growth;

import io.idstream.processors.StoreNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies the processors' task stores from the old application's changelogs to the new one's, each record to the
 * task of its holder ({@link HolderRouting}), so that the new tasks restore exactly the state of the holders they
 * now own. The new changelogs get the new partition count, and the old ones' replication and topic configs.
 */
final class ChangelogCopy {
    private final Admin admin;
    private final GenerationTopics topics;
    private final RecordCopier copier;
    private final Duration timeout;

    ChangelogCopy(Admin admin, GenerationTopics topics, RecordCopier copier, Duration timeout) {
        this.admin = admin;
        this.topics = topics;
        this.copier = copier;
        this.timeout = timeout;
    }

    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** Copies every task store's changelog there is; returns the records copied by old changelog name. */
    Map<String, Long> copy(String fromApplicationId, String toApplicationId, HolderRouting routing) {
        Set<String> listed = topics.listed();
        Map<String, Long> copied = new HashMap<>();
        for (String store : StoreNames.TASK_STORES) {
            String from = changelog(fromApplicationId, store);
            String to = changelog(toApplicationId, store);
            if (!listed.contains(from)) {
                // A store with nothing ever written has no changelog yet; Streams makes the new one.
                topics.deleteIfPresent(List.of(to));
                continue;
            }
            TopicDescription description = AdminCalls.await(admin.describeTopics(List.of(from)).allTopicNames(),
                    timeout, "describe " + from).get(from);
            if (description.partitions().size() != routing.from()) {
                throw new IllegalStateException("the changelog " + from + " has " + description.partitions().size()
                        + " partitions, not the " + routing.from() + " of the processors' tasks");
            }
            short replicas = (short) description.partitions().get(0).replicas().size();
            topics.recreate(to, routing.to(), replicas, configsOf(from));
            RecordCopier.Router router = store.equals(StoreNames.EXPIRY_INDEX) ? routing::ofExpiryIndexKey
                    : routing::ofHolderKey;
            copied.put(from, copier.copy(from, routing.from(), to, router, Map.of()).records());
        }
        return copied;
    }

    /** The configs set on the topic itself (cleanup policy, segment sizes), not those it takes from the broker. */
    private Map<String, String> configsOf(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = AdminCalls.await(admin.describeConfigs(List.of(resource)).all(), timeout,
                "read the configs of " + topic).get(resource);
        Map<String, String> configs = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                configs.put(entry.name(), entry.value());
            }
        }
        return configs;
    }
}
