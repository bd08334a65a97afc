package io.idstream.topics;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Makes a cluster hold the catalogue's topics. Idempotent: it creates what is missing and leaves the rest alone.
 * It first resolves the {@link Replication} (a configured factor of -1 becomes the cluster's
 * {@code default.replication.factor}) and creates topics with it. Where an existing topic differs from the catalogue
 * (partition count, cleanup policy, retention, fewer replicas than resolved, another min.insync.replicas from RF 3
 * on) it reports the drift and changes nothing, because fixing it means data movement or loss that an operator
 * must decide on. A partition whose in-sync replicas are fewer than its replicas is reported too: the topic is as
 * specified, but under-replicated while a broker is away or behind.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** The drift setting of a topic with fewer replicas than resolved. */
    public static final String REPLICATION_FACTOR = "replication.factor";
    /** The drift setting of a topic with a partition whose in-sync replicas are fewer than its replicas. */
    public static final String IN_SYNC_REPLICAS = "in-sync replicas";

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Provisions topics that share one configured replication factor, as every catalogue's topics do. */
    public ProvisioningReport provision(Collection<? extends Topic<?, ?>> topics) {
        Set<Short> factors = topics.stream().map(Topic::replicationFactor).collect(Collectors.toSet());
        if (factors.size() > 1) {
            throw new IllegalArgumentException("topics of one provisioning share one replication factor: " + factors);
        }
        Replication replication = replication(factors.isEmpty() ? Replication.CLUSTER_DEFAULT
                : factors.iterator().next());
        Set<String> existing = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(),
                "list topics");
        List<Topic<?, ?>> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                .collect(Collectors.toList());
        List<Topic<?, ?>> present = topics.stream().filter(t -> existing.contains(t.name()))
                .collect(Collectors.toList());

        List<String> created = new ArrayList<>();
        List<Topic<?, ?>> raced = new ArrayList<>();
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing.stream().map(t -> t.newTopic(replication))
                    .collect(Collectors.toList()));
            for (Topic<?, ?> topic : missing) {
                try {
                    await(result.values().get(topic.name()), "create topic " + topic.name());
                    created.add(topic.name());
                    LOG.info("Created topic {} partitions={} replicationFactor={} minInsyncReplicas={} configs={}",
                            topic.name(), topic.partitions(), replication.factor(), replication.minInsyncReplicas(),
                            topic.configs());
                } catch (ProvisioningException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Another provisioner created it between our listing and our request: check it like any other.
                    raced.add(topic);
                }
            }
        }
        present.addAll(raced);

        List<String> unchanged = new ArrayList<>();
        List<TopicDrift> drift = new ArrayList<>();
        if (!present.isEmpty()) {
            List<String> names = present.stream().map(Topic::name).collect(Collectors.toList());
            Map<String, TopicDescription> descriptions = awaitPropagated(
                    () -> admin.describeTopics(names).allTopicNames(), "describe topics");
            List<ConfigResource> resources = names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).collect(Collectors.toList());
            Map<ConfigResource, Config> configs = awaitPropagated(() -> admin.describeConfigs(resources).all(),
                    "describe configs");
            for (Topic<?, ?> topic : present) {
                List<TopicDrift> found = TopicDrifts.driftOf(topic, replication, descriptions.get(topic.name()),
                        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name())));
                if (found.isEmpty()) {
                    unchanged.add(topic.name());
                } else {
                    found.forEach(d -> LOG.warn("Topic drift, left as it is: {}", d.describe()));
                    drift.addAll(found);
                }
            }
        }
        if (!created.isEmpty()) {
            // Wait until the new topics are in the broker's metadata, so that callers can use them at once.
            awaitPropagated(() -> admin.describeTopics(created).allTopicNames(), "see the created topics");
        }
        return new ProvisioningReport(created, unchanged, drift, replication);
    }

    /**
     * The replication topics get for this configured factor: the factor itself, or for {@link
     * Replication#CLUSTER_DEFAULT} the {@code default.replication.factor} of the cluster's brokers (the highest, should
     * they differ), so that topics on a cluster configured for three replicas get three without idstream being told.
     * A factor below three whose topics would inherit a broker {@code min.insync.replicas} above it is refused with a
     * ConfigException naming {@code idstream.topic.replication.factor}, since every acks=all write would fail. Reading
     * the brokers' configs takes DescribeConfigs on the cluster; a configured factor does without them, unchecked, when
     * they cannot be read.
     */
    public Replication replication(short configuredFactor) {
        boolean fromCluster = configuredFactor == Replication.CLUSTER_DEFAULT;
        Map<String, Config> brokerConfigs;
        int brokersListed;
        try {
            Collection<Node> nodes = await(admin.describeCluster().nodes(), "describe the cluster");
            if (nodes.isEmpty()) {
                throw new ProvisioningException("cannot read the brokers' configs: the cluster lists no broker", null);
            }
            brokersListed = nodes.size();
            brokerConfigs = brokerConfigs(nodes, fromCluster
                    ? "read the brokers' " + ClusterReplication.DEFAULT_REPLICATION_FACTOR + " ("
                    + TopicCatalogConfig.REPLICATION_FACTOR + "=-1 takes it; set a factor instead, or grant "
                    + "DescribeConfigs on the cluster)"
                    : "read the brokers' min.insync.replicas");
        } catch (ProvisioningException e) {
            if (fromCluster) {
                throw e;
            }
            LOG.warn("Cannot check {}={} against the brokers' min.insync.replicas: {}",
                    TopicCatalogConfig.REPLICATION_FACTOR, configuredFactor, e.getMessage());
            return Replication.of(configuredFactor);
        }
        return ClusterReplication.resolve(configuredFactor, brokerConfigs, brokersListed);
    }

    /**
     * The config of every listed broker that answers within the timeout, by broker id: a broker that is listed but
     * down must not fail the resolution while others answer. Fails with the first broker's error when none answers.
     */
    private Map<String, Config> brokerConfigs(Collection<Node> nodes, String what) {
        List<ConfigResource> brokers = nodes.stream()
                .map(node -> new ConfigResource(ConfigResource.Type.BROKER, node.idString())).toList();
        Map<ConfigResource, KafkaFuture<Config>> answers = admin.describeConfigs(brokers).values();
        try {
            KafkaFuture.allOf(answers.values().toArray(new KafkaFuture<?>[0]))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Some broker failed or is slow: use those that answered, below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while trying to " + what, e);
        }
        Map<String, Config> configs = new TreeMap<>();
        ProvisioningException firstFailure = null;
        for (ConfigResource broker : brokers) {
            KafkaFuture<Config> answer = answers.get(broker);
            if (!answer.isDone()) {
                LOG.warn("No answer from broker {} within {} to {}", broker.name(), timeout, what);
                continue;
            }
            try {
                configs.put(broker.name(), await(answer, what));
            } catch (ProvisioningException e) {
                LOG.warn("Broker {} did not give its config: {}", broker.name(), e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (configs.isEmpty()) {
            throw firstFailure != null ? firstFailure
                    : new ProvisioningException("cannot " + what + ": no answer from Kafka within " + timeout, null);
        }
        return configs;
    }

    /**
     * Checks the existing topics whose names match for replication drift alone: fewer replicas than resolved, another
     * min.insync.replicas from RF 3 on, and partitions under-replicated now. It is for topics that are not the
     * catalogue's fixed ones, such as the delivery topics and a Streams application's internal topics, made by others
     * or before the cluster was replicated. Logs each drift as a warning naming its topic and changes nothing; a
     * cluster that cannot be asked is logged too, since this check never stops a start.
     */
    public List<TopicDrift> checkReplication(Predicate<String> topicNames, Replication replication) {
        try {
            List<String> names = await(admin.listTopics().names(), "list topics").stream().filter(topicNames)
                    .sorted().toList();
            if (names.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames(),
                    "describe topics");
            Map<ConfigResource, Config> configs = await(admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all(),
                    "describe configs");
            List<TopicDrift> drift = new ArrayList<>();
            for (String name : names) {
                drift.addAll(TopicDrifts.replicationDriftOf(name, replication, descriptions.get(name),
                        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))));
            }
            drift.forEach(d -> LOG.warn("Topic replication drift, left as it is: {}", d.describe()));
            return drift;
        } catch (ProvisioningException e) {
            LOG.warn("Cannot check the replication of existing topics: {}", e.getMessage());
            return List.of();
        }
    }

    /**
     * Like {@link #await}, but asks again while Kafka answers with a retriable error, until the timeout. A new topic is
     * committed by the controller before every broker's metadata cache holds it, and Admin does not wait for that:
     * describeTopics and describeConfigs complete a topic's future with the broker's per-topic error (such as
     * UnknownTopicOrPartitionException) as it comes, and retry only requests that fail as a whole. No Admin call waits
     * for a topic to become visible, so this is the one place that asks again, after Admin's own default
     * retry.backoff.ms.
     */
    private <T> T awaitPropagated(Supplier<KafkaFuture<T>> call, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return await(call.get(), what);
            } catch (ProvisioningException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(CommonClientConfigs.DEFAULT_RETRY_BACKOFF_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ProvisioningException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProvisioningException("cannot " + what + ": no answer from Kafka within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while trying to " + what, e);
        }
    }

    /** Provisioning could not talk to the cluster or was refused by it. */
    public static final class ProvisioningException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
