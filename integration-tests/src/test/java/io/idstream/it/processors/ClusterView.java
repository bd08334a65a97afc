package io.idstream.it.processors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What an operator reads of a cluster through the Admin API: who leads a partition, which node is the active
 * controller, whether every replica is back in sync, how each topic is replicated, and whether a Streams
 * application's group is whole.
 */
final class ClusterView implements AutoCloseable {
    private static final long ANSWER_SECONDS = 15;

    private final Admin admin;

    ClusterView(String bootstrapServers) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    Admin admin() {
        return admin;
    }

    /** The node that leads each of {@code partitions} of {@code topic}. */
    Set<Integer> leadersOf(String topic, Collection<Integer> partitions) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(ANSWER_SECONDS, TimeUnit.SECONDS).get(topic);
        Set<Integer> leaders = new TreeSet<>();
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partitions.contains(partition.partition()) && partition.leader() != null) {
                leaders.add(partition.leader().id());
            }
        }
        return leaders;
    }

    /** The node whose controller leads the metadata quorum. */
    int activeController() throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(ANSWER_SECONDS, TimeUnit.SECONDS).leaderId();
    }

    /**
     * Waits until {@code nodes} brokers are registered and every partition of every topic, internal ones included,
     * has a leader and all its replicas in sync: a node that was down has caught up everywhere, so the next fault
     * leaves every partition its min ISR.
     */
    void awaitWhole(int nodes, Duration timeout) {
        Awaitility.await("every partition has all its replicas in sync").atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> outOfSync(nodes).isEmpty());
    }

    /** Partitions without a leader or with a replica out of sync, and a missing broker, in words. */
    private List<String> outOfSync(int nodes) throws Exception {
        Collection<Node> brokers = admin.describeCluster().nodes().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        if (brokers.size() < nodes) {
            return List.of(brokers.size() + " of " + nodes + " brokers registered");
        }
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        return admin.describeTopics(topics).allTopicNames().get(ANSWER_SECONDS, TimeUnit.SECONDS).values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .filter(p -> p.leader() == null || p.isr().size() < p.replicas().size())
                        .map(p -> topic.name() + "-" + p.partition() + " isr=" + p.isr()))
                .toList();
    }

    /**
     * Every topic on the cluster, internal ones included, with its replica counts (one per partition) and its
     * effective min.insync.replicas (the topic's own or the broker's default), as "replicas=[3, 3, 3] minIsr=2".
     */
    Map<String, String> replicationOfEveryTopic() throws Exception {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).all()
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        Map<String, String> replication = new TreeMap<>();
        descriptions.forEach((topic, description) -> replication.put(topic, "replicas="
                + description.partitions().stream().map(partition -> partition.replicas().size()).toList()
                + " minIsr=" + configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()));
        return replication;
    }

    /** Waits until the topic exists (the processors create a consumer's delivery topic). */
    void awaitTopic(String topic, Duration timeout) {
        Awaitility.await("topic " + topic + " created").atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.listTopics().names().get(ANSWER_SECONDS, TimeUnit.SECONDS).contains(topic));
    }

    /**
     * Waits until the group {@code groupId} is stable with members from {@code instances} Kafka Streams instances.
     * Each stream thread of an instance is a member of its own, named {@code <clientId>-StreamThread-<n>-consumer}, and
     * an instance runs as many threads as its defaults give it, so members are counted by the instance they belong to.
     */
    void awaitGroup(String groupId, int instances, Duration timeout) {
        Awaitility.await("group " + groupId + " stable with " + instances + " instances").atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                            .get(ANSWER_SECONDS, TimeUnit.SECONDS).get(groupId);
                    long members = group.members().stream().map(member -> instanceOf(member.clientId())).distinct()
                            .count();
                    return group.groupState() == GroupState.STABLE && members == instances;
                });
    }

    private static String instanceOf(String memberClientId) {
        int thread = memberClientId.indexOf("-StreamThread-");
        return thread < 0 ? memberClientId : memberClientId.substring(0, thread);
    }

    @Override
    public void close() {
        admin.close();
    }
}
