package io.idstream.gateway.http;

import io.idstream.gateway.views.HolderViews;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The holder API over HTTP (docs/protocol.md section 16) on Jetty's core API: one small thread pool serves every
 * request, and an open event stream holds a connection but no thread. Start one per gateway instance with the
 * instance's views, its writer and the {@link EventStreams} its topology pushes changes to; {@link #close()} ends
 * open streams and stops the server.
 */
public final class GatewayServer implements AutoCloseable {
    /** The OpenAPI document served at {@code GET /v1/openapi.yaml}. */
    public static final String OPENAPI_RESOURCE = "/io/idstream/gateway/openapi.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final HttpClient forwardingClient;
    private final EventStreams events;
    private final NonceCache nonces;
    private final ScheduledExecutorService sweeper;

    private GatewayServer(Server server, ServerConnector connector, HttpClient forwardingClient, EventStreams events,
                          NonceCache nonces, ScheduledExecutorService sweeper) {
        this.server = server;
        this.connector = connector;
        this.forwardingClient = forwardingClient;
        this.events = events;
        this.nonces = nonces;
        this.sweeper = sweeper;
    }

    /**
     * Starts the server on {@code listenHost:port} ({@code 0}: a free port, see {@link #port()}).
     *
     * @param events the streams this instance's topology reports holder changes to
     */
    public static GatewayServer start(String listenHost, int port, HolderViews views, HolderWrites writes,
                                      EventStreams events, Clock clock, GatewayLimits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("gateway-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(listenHost);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setIdleTimeout(limits.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(4_096);
        NonceCache nonces = new NonceCache(2 * limits.clockSkew().toMillis(), limits.noncesPerHolder());
        HolderRoutes routes = new HolderRoutes(views, writes, events, clock);
        server.setHandler(new GatewayHandler(views, clock, limits, nonces,
                new Forwarder(client, limits.idleTimeout()), routes, openApiDocument()));
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-nonce-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long window = limits.clockSkew().toMillis();
        sweeper.scheduleAtFixedRate(() -> nonces.sweep(clock.millis()), window, window, TimeUnit.MILLISECONDS);
        try {
            client.start();
            server.start();
        } catch (Exception e) {
            sweeper.shutdownNow();
            stopQuietly(server, client);
            throw new IllegalStateException("cannot start the gateway's HTTP server on " + listenHost + ":" + port
                    + ": " + e.getMessage(), e);
        }
        LOG.info("gateway http listening host={} port={}", listenHost, connector.getLocalPort());
        return new GatewayServer(server, connector, client, events, nonces, sweeper);
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** How many threads the server's pool holds now (busy or idle). */
    public int threads() {
        return ((QueuedThreadPool) server.getThreadPool()).getThreads();
    }

    int holdersWithNonces() {
        return nonces.holdersTracked();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        events.close();
        stopQuietly(server, forwardingClient);
    }

    static byte[] openApiDocument() {
        try (InputStream document = GatewayServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (document == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return document.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopQuietly(Server server, HttpClient client) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the gateway's HTTP server failed reason={}", e.toString());
        }
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("stopping the gateway's forwarding client failed reason={}", e.toString());
        }
    }
}
