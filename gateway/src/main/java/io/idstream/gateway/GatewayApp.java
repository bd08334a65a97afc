package io.idstream.gateway;

import io.idstream.gateway.views.GatewayTopology;
import io.idstream.gateway.views.HolderChanges;
import io.idstream.gateway.views.HolderViews;
import io.idstream.gateway.views.LocalHolderViews;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's views as a running Kafka Streams application. {@link #start} takes the port the HTTP server has
 * already bound, so that {@code application.server} names the address other instances forward a holder's request
 * to, then starts the topology and waits until it runs. It creates no topic of the catalogue: those are the
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

    public static GatewayApp start(GatewayConfig config, int boundHttpPort, HolderChanges changes,
                                   Duration readyTimeout) {
        TopicCatalog catalog = TopicCatalog.create(config.catalogConfigs());
        Properties props = config.streamsProperties(boundHttpPort, catalog.audit().replicationFactor());
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
            if (!running.await(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
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
                config.getString(GatewayConfig.APPLICATION_ID), self.host(), self.port());
        return new GatewayApp(streams, LocalHolderViews.of(streams, config.partitions(), self));
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
