package io.idstream.platform.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.idstream.platform.KafkaLogins;
import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.idstream.platform.registry.RegistryError.Code.BAD_REQUEST;
import static io.idstream.platform.registry.RegistryError.Code.PAYLOAD_TOO_LARGE;
import static io.idstream.platform.registry.RegistryError.Code.STORE_ERROR;
import static io.idstream.platform.registry.RegistryError.Code.UNAUTHORIZED;

/**
 * A Schema Registry speaking Confluent's REST API, for the embedded default: Confluent's serializers, our
 * {@link SchemaRegistryClient} and any other client of that API work against it unchanged. It serves the subset
 * Confluent's clients and tools use (register, look up, read by id and version, soft and permanent deletes, test
 * compatibility, read, set and reset compatibility, mode and schema types), with Confluent's paths, content type,
 * response bodies and error codes; {@link RegistryRoutes} holds the table. Schemas live in a compacted topic, in
 * Confluent's record format, so ids and deletions survive restarts. It listens on 127.0.0.1 only.
 *
 * <p>Started with {@link KafkaLogins} (the secure platform), every request must log in with HTTP basic
 * authentication as a Kafka user, else it gets Confluent's {@code 401 Unauthorized}; only the operator's user may
 * change the registry; started with a TLS context, as the secure platform starts it, it serves HTTPS only. A body
 * over {@link #MAX_BODY_BYTES} is refused with 413 whether or not it is sent with a length, and never held in memory
 * beyond that limit.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    /** The largest request body the registry reads. */
    public static final int MAX_BODY_BYTES = RegistryRequest.MAX_BODY_BYTES;
    /**
     * How much of a refused body is read, in small pieces, and dropped after the refusal is sent, so that a client
     * that sends its whole body before it reads sees the refusal; past this the connection is closed instead.
     */
    private static final long DISCARDED_BODY_LIMIT = 16L * MAX_BODY_BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaSchemaLog log;
    private final RegistryRoutes routes;
    private final KafkaLogins logins;
    private final String url;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, KafkaSchemaLog log,
                                   SchemaStore store, KafkaLogins logins) {
        this.server = server;
        this.executor = executor;
        this.log = log;
        this.routes = new RegistryRoutes(store);
        this.logins = logins;
        this.url = (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    /**
     * Replays the schemas topic and starts serving on {@code port} (0 picks a free one) to anyone who reaches it.
     *
     * @param bootstrapServers Kafka holding the schemas topic
     * @param schemasTopic     the compacted, single-partition topic to keep schemas in; it must exist
     * @param clientConfigs    extra Kafka client settings, such as security ones
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, Topic<?, ?> schemasTopic, int port,
                                               Map<String, Object> clientConfigs) {
        return start(bootstrapServers, schemasTopic, port, clientConfigs, null, null);
    }

    /**
     * Replays the schemas topic and starts serving on {@code port} (0 picks a free one).
     *
     * @param logins the users that may log in, or null for a registry open to anyone who reaches it
     * @param tls    the TLS the registry serves HTTPS with, or null for plain HTTP
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, Topic<?, ?> schemasTopic, int port,
                                               Map<String, Object> clientConfigs, KafkaLogins logins,
                                               SSLContext tls) {
        if (port != 0) {
            Ports.requireFree(port, "--registry-port");
        }
        KafkaSchemaLog log = new KafkaSchemaLog(bootstrapServers, schemasTopic.name(), clientConfigs);
        ExecutorService executor = null;
        try {
            SchemaStore store = new SchemaStore(log);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 64);
            } else {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "idstream-schema-registry-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, log, store,
                    logins);
            server.createContext("/", registry::handle);
            server.start();
            LOG.info("Schema registry up url={} topic={} authentication={}", registry.url, schemasTopic.name(),
                    logins == null ? "none" : "basic");
            return registry;
        } catch (IOException e) {
            log.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new PlatformException("schema registry cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            List<String> path = RegistryRequest.segments(exchange.getRequestURI().getRawPath());
            RegistryResponse response;
            boolean bodyRefused = false;
            try {
                Caller caller = caller(exchange);
                requireDeclaredLengthWithinLimit(exchange);
                response = routes.dispatch(method, path, RegistryRequest.query(exchange.getRequestURI().getRawQuery()),
                        caller, exchange.getRequestBody());
            } catch (RegistryError e) {
                if (e.httpStatus() == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"idstream schema registry\"");
                }
                bodyRefused = e.httpStatus() == 413;
                response = RegistryResponse.error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Schema registry request failed method={} path={}", method, path, e);
                response = RegistryResponse.error(500, 500, "Internal Server Error: " + e.getMessage());
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
            if (bodyRefused) {
                // The rest of the refused body is dropped, then the connection closed: a client that sent its next
                // request on it (over TLS it may sit unread in the server's buffer) would wait for ever.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                    if (bodyRefused) {
                        // The client may still be sending: answer first, then drop what it sends so that it
                        // finishes and reads the answer rather than a reset connection.
                        out.flush();
                        discardBody(exchange);
                    }
                }
            }
        }
    }

    /** Anyone on an open registry; on a secure one the user the request logs in as, or 401. */
    private Caller caller(HttpExchange exchange) {
        if (logins == null) {
            return Caller.ANYONE;
        }
        String user;
        try {
            user = logins.authenticate(exchange.getRequestHeaders().getFirst("Authorization"))
                    .orElseThrow(() -> new RegistryError(UNAUTHORIZED));
        } catch (PlatformException e) {
            throw new RegistryError(STORE_ERROR, e.getMessage());
        }
        return new Caller(user, logins.isOperator(user), logins.operatorUser());
    }

    /** Refuses a body whose declared length is over the limit before reading any of it. */
    private static void requireDeclaredLengthWithinLimit(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw new RegistryError(BAD_REQUEST, "Content-Length is not a number: " + declared);
        }
        if (length > MAX_BODY_BYTES) {
            throw new RegistryError(PAYLOAD_TOO_LARGE, MAX_BODY_BYTES);
        }
    }

    /** Reads and drops what is left of a refused body, in small pieces and up to a limit. */
    private static void discardBody(HttpExchange exchange) {
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[8192];
            long discarded = 0;
            int read;
            while (discarded < DISCARDED_BODY_LIMIT && (read = body.read(buffer)) >= 0) {
                discarded += read;
            }
        } catch (IOException e) {
            LOG.debug("Schema registry could not discard a refused body: {}", e.getMessage());
        }
    }
}
