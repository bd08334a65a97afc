package io.idstream.gateway;

import io.idstream.gateway.views.GatewayTopology;
import io.idstream.gateway.views.HolderChanges;
import io.idstream.gateway.views.HolderViews;
import io.idstream.gateway.views.LocalHolderViews;
import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The gateway's views as a running Kafka Streams application. {@link #start} takes the port the HTTP server has
 * already bound, so that {@code application.server} names the address other instances forward a holder's request
 * to; checks that the holder-keyed topics have the configured partition count (waiting for them to exist within the
 * ready timeout); resolves the replication its internal topics get, as the processors do; then starts the topology and
 * waits until it runs. It creates no topic of the catalogue: those are the
 * processors' (Streams makes the gateway's own changelog topics). A stream thread that dies is replaced; under
 * exactly-once its task resumes from its last commit, so no use or audit entry is counted twice.
 */
public final class GatewayApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

    private final KafkaStreams streams;
    private final HolderViews views;

    private GatewayApp(KafkaStreams streams, HolderViews views) {
        this.streams = streams;
        this.views = views;
    }

    /**
     * Starts the views in the deployment's generation of the holder-keyed topics
     * ({@link GatewayConfig#resolveGeneration}): its topics, its partition count and its application id.
     */
    public static GatewayApp start(GatewayConfig configured, int boundHttpPort, HolderChanges changes,
                                   Duration readyTimeout) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        return startResolved(configured.resolveGeneration(readyTimeout), boundHttpPort, changes,
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * Starts the views in the generation {@code config} was resolved to ({@link GatewayConfig#resolveGeneration}),
     * for a caller whose other parts (its writes) use that same generation.
     */
    public static GatewayApp startResolved(GatewayConfig config, int boundHttpPort, HolderChanges changes,
                                           Duration readyTimeout) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        TopicCatalog catalog = TopicCatalog.create(config.catalogConfigs());
        checkPartitionCount(config, catalog, readyTimeout);
        Properties props = config.streamsProperties(boundHttpPort, resolveReplication(config, catalog, readyTimeout));
        KafkaStreams streams = new KafkaStreams(GatewayTopology.build(config, catalog, changes), props);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("Stream thread failed; replacing it, its tasks resume from their last commit", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                closeLeavingGroup(streams);
                throw new IllegalStateException("the gateway did not reach RUNNING within " + readyTimeout
                        + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeLeavingGroup(streams);
            throw new IllegalStateException("interrupted while starting the gateway", e);
        }
        HostInfo self = new HostInfo(config.advertisedHost(), boundHttpPort);
        LOG.info("Gateway views running applicationId={} applicationServer={}:{}",
                config.applicationId(), self.host(), self.port());
        return new GatewayApp(streams, LocalHolderViews.of(streams, config.partitions(), self,
                config.pendingTtlMs()));
    }

    /**
     * The replication of the gateway's internal topics: the catalogue's, resolved as the processors resolve it (a
     * factor of -1 is the cluster's {@code default.replication.factor}), so that the gateway's changelogs survive
     * what the topics it reads survive.
     */
    static Replication resolveReplication(GatewayConfig config, TopicCatalog catalog, Duration timeout) {
        Map<String, Object> adminConfigs = new HashMap<>(config.clientConfigs());
        adminConfigs.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(adminConfigs)) {
            return new TopicProvisioner(admin, timeout).replication(catalog.audit().replicationFactor());
        }
    }

    /**
     * Holder ids are hashed over {@code idstream.topic.partitions} to find a holder's partition (docs/protocol.md
     * section 9): with another count than the cluster's topics have, every genuine record would be refused as
     * wrong-partition and requests sent to the wrong instance. So the holder-keyed topics the gateway reads must
     * have that count; the gateway waits for them (the processors create them) up to {@code timeout}.
     */
    static void checkPartitionCount(GatewayConfig config, TopicCatalog catalog, Duration timeout) {
        List<String> topics = List.of(catalog.holderInbox().name(), catalog.credentialsStored().name(),
                catalog.audit().name(), catalog.accessDecisions().name(), catalog.holderBackups().name());
        Map<String, Object> adminConfigs = new HashMap<>(config.clientConfigs());
        adminConfigs.keySet().retainAll(AdminClientConfig.configNames());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfigs)) {
            // Counts seen are kept across rounds: once the wait is over, a describe may time out at once.
            Map<String, Integer> partitions = new TreeMap<>();
            while (true) {
                List<String> missing = new ArrayList<>();
                for (String topic : topics) {
                    try {
                        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                                .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).get(topic);
                        partitions.put(topic, description.partitions().size());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                            throw new IllegalStateException("cannot describe topic " + topic + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                        missing.add(topic);
                    } catch (TimeoutException e) {
                        if (!partitions.containsKey(topic)) {
                            missing.add(topic);
                        }
                    }
                }
                String drift = partitions.entrySet().stream()
                        .filter(topic -> topic.getValue() != config.partitions())
                        .map(topic -> "topic " + topic.getKey() + " has " + topic.getValue() + " partitions")
                        .collect(Collectors.joining("; "));
                boolean timedOut = System.nanoTime() - deadline >= 0;
                // Once every topic exists, or the wait is over, a topic of another count is the error to report:
                // while some are missing, the ones found may still be being created.
                if (!drift.isEmpty() && (missing.isEmpty() || timedOut)) {
                    throw new ConfigException(TopicCatalogConfig.PARTITIONS, config.partitions(),
                            "the cluster's holder-keyed topics have another partition count: " + drift);
                }
                if (missing.isEmpty()) {
                    return;
                }
                if (timedOut) {
                    throw new IllegalStateException("the gateway's input topics " + missing + " do not exist after "
                            + timeout + "; the processors create them");
                }
                LOG.info("Waiting for the gateway's input topics missing={}", missing);
                Thread.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the gateway's input topics", e);
        }
    }

    public HolderViews views() {
        return views;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops the views and leaves the consumer group, so that the instances left (or one started next) are assigned
     * the partitions at once instead of after this member's session timeout.
     */
    @Override
    public void close() {
        closeLeavingGroup(streams);
    }

    private static void closeLeavingGroup(KafkaStreams streams) {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
