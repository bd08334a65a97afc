package io.idstream.platform.growth;

import io.idstream.topics.Topic;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The topic work of a growth: fencing the old generation, and making the new one's topics afresh with its ACLs. */
final class GenerationTopics {
    private final Admin admin;
    private final Duration timeout;

    GenerationTopics(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Makes every further write to the topics fail at once with RecordTooLargeException, so that nothing is written
     * to them once their copy has begun, and a writer that has not yet seen the new generation learns of it.
     */
    void fence(Collection<String> topics) {
        AlterConfigOp noRecords = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "0"),
                AlterConfigOp.OpType.SET);
        Map<ConfigResource, Collection<AlterConfigOp>> fences = topics.stream().collect(Collectors.toMap(
                topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic), topic -> List.of(noRecords)));
        AdminCalls.await(admin.incrementalAlterConfigs(fences).all(), timeout, "fence the topics " + topics);
        awaitFence(topics, true);
    }

    /**
     * Each topic's own record size limit, as set on the topic (none: it takes the broker's), read before
     * {@link #fence} so that {@link #unfence} can give it back.
     */
    Map<String, Optional<String>> recordLimits(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = AdminCalls.await(admin.describeConfigs(resources).all(), timeout,
                "read the configs of " + topics);
        Map<String, Optional<String>> limits = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            boolean own = entry != null && entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
            limits.put(resource.name(), own ? Optional.of(entry.value()) : Optional.empty());
        });
        return limits;
    }

    /**
     * Lets the topics be written again, each with the record size limit it had before {@link #fence}: for a growth
     * that failed before it published.
     */
    void unfence(Map<String, Optional<String>> recordLimits) {
        Map<ConfigResource, Collection<AlterConfigOp>> unfences = new HashMap<>();
        recordLimits.forEach((topic, limit) -> unfences.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(limit.map(value -> new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        value), AlterConfigOp.OpType.SET)).orElse(new AlterConfigOp(new ConfigEntry(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE)))));
        AdminCalls.await(admin.incrementalAlterConfigs(unfences).all(), timeout, "unfence the topics "
                + recordLimits.keySet());
        awaitFence(recordLimits.keySet(), false);
    }

    /**
     * Waits until the brokers apply what the controller accepted: they learn of a topic's new config from its log a
     * moment later, and until then would take a write.
     */
    private void awaitFence(Collection<String> topics, boolean fenced) {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<ConfigResource, Config> configs = AdminCalls.await(admin.describeConfigs(resources).all(), timeout,
                    "read the configs of " + topics);
            boolean applied = configs.values().stream().allMatch(config -> "0".equals(
                    config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()) == fenced);
            if (applied) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("the brokers do not show the topics " + topics + " as "
                        + (fenced ? "fenced" : "unfenced") + " " + timeout.toSeconds() + " s after the change");
            }
            pause();
        }
    }

    /** Deletes those of {@code topics} that exist and waits until Kafka no longer lists them. */
    void deleteIfPresent(Collection<String> topics) {
        Set<String> present = new HashSet<>(listed());
        present.retainAll(topics);
        if (present.isEmpty()) {
            return;
        }
        AdminCalls.await(admin.deleteTopics(present).all(), timeout, "delete the topics " + present);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (listed().stream().anyMatch(present::contains)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("the topics " + present + " are still listed " + timeout.toSeconds()
                        + " s after their deletion");
            }
            pause();
        }
    }

    /**
     * Creates {@code topics} afresh, as the catalogue makes them: any of the same name is deleted first, and so are
     * the ACL bindings on their names, which outlive a deleted topic (a growth cut short after copying them).
     */
    void recreate(List<? extends Topic<?, ?>> topics) {
        List<String> names = topics.stream().map(Topic::name).toList();
        deleteIfPresent(names);
        deleteAcls(names);
        new TopicProvisioner(admin, timeout).provision(topics);
    }

    /** Creates {@code topic} afresh with that many partitions and replicas, and those configs. */
    void recreate(String topic, int partitions, short replicas, Map<String, String> configs) {
        deleteIfPresent(List.of(topic));
        AdminCalls.await(admin.createTopics(List.of(new NewTopic(topic, partitions, replicas).configs(configs)))
                .all(), timeout, "create the topic " + topic);
    }

    /**
     * Gives {@code to}, as bindings on its literal name, every ACL binding that applies to {@code from}: literal,
     * prefixed and wildcard, DENY as well as ALLOW; nothing on a cluster without ACLs.
     */
    int copyAcls(String from, String to) {
        Collection<AclBinding> bindings = acls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC,
                from, PatternType.MATCH), AccessControlEntryFilter.ANY), "read the ACLs of " + from);
        List<AclBinding> copies = bindings.stream().map(binding -> new AclBinding(new ResourcePattern(
                ResourceType.TOPIC, to, PatternType.LITERAL), binding.entry())).distinct().toList();
        if (!copies.isEmpty()) {
            AdminCalls.await(admin.createAcls(copies).all(), timeout, "give " + to + " the ACLs of " + from);
        }
        return copies.size();
    }

    private void deleteAcls(List<String> topics) {
        List<AclBindingFilter> filters = topics.stream().map(topic -> new AclBindingFilter(new ResourcePatternFilter(
                ResourceType.TOPIC, topic, PatternType.LITERAL), AccessControlEntryFilter.ANY)).toList();
        AdminCalls.await(admin.deleteAcls(filters).all(), timeout, "delete the ACLs of " + topics,
                SecurityDisabledException.class, null);
    }

    private Collection<AclBinding> acls(AclBindingFilter filter, String what) {
        return AdminCalls.await(admin.describeAcls(filter).values(), timeout, what, SecurityDisabledException.class,
                List.of());
    }

    Set<String> listed() {
        return AdminCalls.await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), timeout,
                "list the topics");
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the brokers", e);
        }
    }
}
