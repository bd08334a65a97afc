package io.idstream.processors;

import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link DeliveryTopics} through Kafka's Admin client, remembering the topics it has seen exist. A topic is created
 * asynchronously: the stream thread that verifies a registration only sends the creation, so that a burst of new
 * consumers never holds it for a round trip each. A request to a consumer whose topic is still being created waits
 * for that creation, at most {@link #TIMEOUT}.
 */
public final class AdminDeliveryTopics implements DeliveryTopics, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminDeliveryTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final TopicCatalog catalog;
    private final Replication replication;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, KafkaFuture<Void>> creating = new ConcurrentHashMap<>();

    /** @param replication what provisioning resolved, so that delivery topics are replicated like the others */
    public AdminDeliveryTopics(Admin admin, TopicCatalog catalog, Replication replication) {
        this.admin = admin;
        this.catalog = catalog;
        this.replication = replication;
    }

    @Override
    public void ensure(String consumerId) {
        if (known.contains(consumerId) || creating.containsKey(consumerId)) {
            return;
        }
        KafkaFuture<Void> created = admin.createTopics(List.of(catalog.deliveries(consumerId).newTopic(replication)),
                new CreateTopicsOptions().timeoutMs((int) TIMEOUT.toMillis())).all();
        creating.put(consumerId, created);
        created.whenComplete((ignored, failure) -> {
            Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause() : failure;
            if (cause == null || cause instanceof TopicExistsException) {
                known.add(consumerId);
            } else {
                // A request from the consumer finds no topic, is refused, and sends the creation again.
                LOG.warn("Cannot create the delivery topic consumerId={} reason={}", consumerId, cause.toString());
            }
            creating.remove(consumerId, created);
        });
    }

    @Override
    public boolean exists(String consumerId) {
        if (known.contains(consumerId)) {
            return true;
        }
        String topic = catalog.deliveries(consumerId).name();
        try {
            KafkaFuture<Void> inFlight = creating.get(consumerId);
            if (inFlight != null) {
                try {
                    inFlight.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // Already there, or failed: the description below says which.
                }
            }
            admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            known.add(consumerId);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new org.apache.kafka.common.errors.TimeoutException("cannot check topic " + topic + ": "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("cannot check topic " + topic + " within "
                    + TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
