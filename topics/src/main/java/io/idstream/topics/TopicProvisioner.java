package io.idstream.topics;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Makes a cluster hold the catalogue's topics. Idempotent: it creates what is missing and leaves the rest alone.
 * Where an existing topic differs from the catalogue (partition count, cleanup policy, retention) it reports the
 * drift and changes nothing, because fixing it means data movement or loss that an operator must decide on.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public ProvisioningReport provision(Collection<? extends Topic<?, ?>> topics) {
        Set<String> existing = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(),
                "list topics");
        List<Topic<?, ?>> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                .collect(Collectors.toList());
        List<Topic<?, ?>> present = topics.stream().filter(t -> existing.contains(t.name()))
                .collect(Collectors.toList());

        List<String> created = new ArrayList<>();
        List<Topic<?, ?>> raced = new ArrayList<>();
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing.stream().map(Topic::newTopic)
                    .collect(Collectors.toList()));
            for (Topic<?, ?> topic : missing) {
                try {
                    await(result.values().get(topic.name()), "create topic " + topic.name());
                    created.add(topic.name());
                    LOG.info("Created topic {} partitions={} replicationFactor={} configs={}",
                            topic.name(), topic.partitions(), topic.replicationFactor(), topic.configs());
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
                List<TopicDrift> found = driftOf(topic, descriptions.get(topic.name()),
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
        return new ProvisioningReport(created, unchanged, drift);
    }

    private static List<TopicDrift> driftOf(Topic<?, ?> topic, TopicDescription description, Config config) {
        List<TopicDrift> drift = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != topic.partitions()) {
            drift.add(new TopicDrift(topic.name(), "partitions", Integer.toString(topic.partitions()),
                    Integer.toString(partitions)));
        }
        topic.configs().forEach((key, expected) -> {
            ConfigEntry entry = config.get(key);
            String actual = entry == null ? null : entry.value();
            if (!expected.equals(actual)) {
                drift.add(new TopicDrift(topic.name(), key, expected, String.valueOf(actual)));
            }
        });
        return drift;
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
