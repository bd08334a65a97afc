package io.idstream.gateway.http;

import io.idstream.gateway.views.HolderViews;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
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
        return start(listenHost, port, views, writes, events, clock, limits, List.of());
    }

    /**
     * Starts the server on {@code listenHost:port}, serving the authorities of docs/protocol.md section 16 "The
     * gateway's side": {@code listenHost:<bound port>}, {@code 127.0.0.1:<port>} and {@code localhost:<port>} when
     * it listens on loopback, the advertised {@code host:port} of every instance of this gateway, and
     * {@code publicAuthorities} ({@code host[:port]}, the names holders reach the gateway by).
     */
    public static GatewayServer start(String listenHost, int port, HolderViews views, HolderWrites writes,
                                      EventStreams events, Clock clock, GatewayLimits limits,
                                      List<String> publicAuthorities) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("gateway-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // docs/protocol.md section 16 "The gateway's side": the gateway refuses, itself and in its own error form, a
        // path that is not canonical, so Jetty passes ambiguous paths through rather than answer them; and an
        // absolute-form request line's authority wins over Host, so Jetty does not refuse the two differing.
        http.setUriCompliance(UriCompliance.DEFAULT.with("idstream-gateway",
                UriCompliance.AMBIGUOUS_VIOLATIONS.toArray(UriCompliance.Violation[]::new)));
        http.setHttpCompliance(HttpCompliance.RFC7230.with("idstream-gateway",
                HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(listenHost);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        RequestDeadlines deadlines = new RequestDeadlines(limits.requestDeadline());
        connector.addBean(deadlines);
        server.addConnector(connector);
        // More connections than event streams may be open, so that a full set of streams leaves room for requests;
        // above the limit the server stops accepting until connections close.
        server.addBean(new NetworkConnectionLimit(limits.connections(), connector));
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setIdleTimeout(limits.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(4_096);
        NonceCache nonces = new NonceCache(limits.clockSkew().toSeconds(), limits.noncesPerHolder(),
                limits.holdersWithNonces());
        HolderRoutes routes = new HolderRoutes(views, writes, events, clock);
        GatewayHandler handler = new GatewayHandler(views, clock, limits, nonces,
                new Forwarder(client, limits.idleTimeout()), routes, openApiDocument(), events.takeovers());
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-nonce-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long window = limits.clockSkew().toMillis();
        sweeper.scheduleAtFixedRate(() -> nonces.sweep(clock.millis()), window, window, TimeUnit.MILLISECONDS);
        long deadlineSweep = Math.max(50, Math.min(1_000, limits.requestDeadline().toMillis() / 10));
        sweeper.scheduleAtFixedRate(() -> deadlines.sweep(System.nanoTime()), deadlineSweep, deadlineSweep,
                TimeUnit.MILLISECONDS);
        try {
            client.start();
            // The owner's answers are relayed as they are: a 401 is the holder's to read, not a challenge to answer
            // (the client installs its handlers as it starts).
            client.getProtocolHandlers().clear();
            server.start();
            handler.serve(new RequestTarget.Authorities("http", listenHost, connector.getLocalPort(),
                    publicAuthorities, views));
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

    /** How many connections are open now. */
    int connections() {
        return connector.getConnectedEndPoints().size();
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
