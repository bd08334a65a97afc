package io.idstream.processors;

import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link DeliveryTopics} through Kafka's Admin client, remembering the topics it has seen exist. */
public final class AdminDeliveryTopics implements DeliveryTopics, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final TopicCatalog catalog;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public AdminDeliveryTopics(Admin admin, TopicCatalog catalog) {
        this.admin = admin;
        this.catalog = catalog;
    }

    @Override
    public void ensure(String consumerId) {
        new TopicProvisioner(admin, TIMEOUT).provision(List.of(catalog.deliveries(consumerId)));
        known.add(consumerId);
    }

    @Override
    public boolean exists(String consumerId) {
        if (known.contains(consumerId)) {
            return true;
        }
        String topic = catalog.deliveries(consumerId).name();
        try {
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
