package io.idstream.processors;

import io.idstream.topics.Replication;
import io.idstream.topics.Topic;
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
import java.util.function.Function;

/**
 * {@link PrincipalTopics} through Kafka's Admin client, remembering the topics it has seen exist; one instance per
 * kind of topic (the consumers' delivery topics, the issuers' notice topics). A topic is created asynchronously: the
 * stream thread that verifies a registration only sends the creation, so that a burst of new principals never holds
 * it for a round trip each. A write to a principal whose topic is still being created waits for that creation, at
 * most {@link #TIMEOUT}. The Admin client is shared and closed by its owner.
 */
public final class AdminPrincipalTopics implements PrincipalTopics {
    private static final Logger LOG = LoggerFactory.getLogger(AdminPrincipalTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final Function<String, Topic<?, ?>> topicOf;
    private final Replication replication;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, KafkaFuture<Void>> creating = new ConcurrentHashMap<>();

    /**
     * @param topicOf the catalogue's topic of a principal, e.g. {@code catalog::deliveries}
     * @param replication what provisioning resolved, so that these topics are replicated like the others
     */
    public AdminPrincipalTopics(Admin admin, Function<String, Topic<?, ?>> topicOf, Replication replication) {
        this.admin = admin;
        this.topicOf = topicOf;
        this.replication = replication;
    }

    @Override
    public void ensure(String principalId) {
        if (known.contains(principalId) || creating.containsKey(principalId)) {
            return;
        }
        Topic<?, ?> topic = topicOf.apply(principalId);
        KafkaFuture<Void> created = admin.createTopics(List.of(topic.newTopic(replication)),
                new CreateTopicsOptions().timeoutMs((int) TIMEOUT.toMillis())).all();
        creating.put(principalId, created);
        created.whenComplete((ignored, failure) -> {
            Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause() : failure;
            if (cause == null || cause instanceof TopicExistsException) {
                known.add(principalId);
            } else {
                // The next write for the principal finds no topic and sends the creation again.
                LOG.warn("Cannot create a principal's topic principalId={} topic={} reason={}", principalId,
                        topic.name(), cause.toString());
            }
            creating.remove(principalId, created);
        });
    }

    @Override
    public boolean exists(String principalId) {
        if (known.contains(principalId)) {
            return true;
        }
        String topic = topicOf.apply(principalId).name();
        try {
            KafkaFuture<Void> inFlight = creating.get(principalId);
            if (inFlight != null) {
                try {
                    inFlight.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // Already there, or failed: the description below says which.
                }
            }
            admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            known.add(principalId);
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
}
