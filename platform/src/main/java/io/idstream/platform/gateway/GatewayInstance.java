package io.idstream.platform.gateway;

import io.idstream.gateway.GatewayApp;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.http.EventStreams;
import io.idstream.gateway.http.GatewayLimits;
import io.idstream.gateway.http.GatewayServer;
import io.idstream.gateway.http.KafkaHolderWrites;
import io.idstream.gateway.http.StartingHolderViews;
import io.idstream.topics.TopicCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * One holder gateway instance: the HTTP server, bound first so that its port is known, then the views
 * ({@link GatewayApp}) with that port as their {@code application.server}, which push changes to the server's event
 * streams; the server answers 503 until the views run. Holders' registrations and decisions are written with the
 * config's Kafka client settings, the same login the views read with. {@link #close} stops them in reverse order.
 */
public final class GatewayInstance implements AutoCloseable {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayInstance.class);

    private final KafkaHolderWrites writes;
    private final GatewayServer server;
    private final GatewayApp app;
    private final URI url;

    private GatewayInstance(KafkaHolderWrites writes, GatewayServer server, GatewayApp app, URI url) {
        this.writes = writes;
        this.server = server;
        this.app = app;
        this.url = url;
    }

    /**
     * Starts the server and the views in the deployment's generation of the holder-keyed topics, and returns once the
     * views run, or fails naming what did not start.
     */
    public static GatewayInstance start(GatewayConfig configured, Duration readyTimeout) {
        GatewayConfig config = configured.resolveGeneration(readyTimeout);
        GatewayLimits limits = config.limits();
        KafkaHolderWrites writes = new KafkaHolderWrites(config.clientConfigs(),
                TopicCatalog.create(config.catalogConfigs()), WRITE_TIMEOUT);
        // The server and its event streams read one clock, so that a stream's lifetime and the signatures' freshness
        // are measured alike.
        Clock clock = Clock.systemUTC();
        EventStreams events = new EventStreams(limits, clock);
        GatewayServer server = null;
        try {
            StartingHolderViews views = new StartingHolderViews();
            server = GatewayServer.start(config.listenHost(), config.port(), views, writes, events,
                    clock, limits, config.publicAuthorities());
            GatewayApp app = GatewayApp.startResolved(config, server.port(), events, readyTimeout);
            views.ready(app.views());
            URI url = URI.create("http://" + config.advertisedHost() + ":" + server.port());
            LOG.info("Gateway up url={}", url);
            return new GatewayInstance(writes, server, app, url);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                events.close();
            }
            writes.close();
            throw e;
        }
    }

    /** Where holders reach this instance's HTTP API. */
    public URI url() {
        return url;
    }

    public int port() {
        return server.port();
    }

    /** The running views, their Kafka Streams state among them. */
    public GatewayApp app() {
        return app;
    }

    @Override
    public void close() {
        // The server first: a request served while the views shut down would fail with a 500, which clients do not
        // retry; once the server is closed they see the connection refused, as during any restart.
        server.close();
        app.close();
        writes.close();
    }
}
