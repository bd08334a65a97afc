package io.idstream.platform.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Schema Registry speaking Confluent's REST API, for the embedded default: Confluent's serializers, our
 * {@link SchemaRegistryClient} and any other client of that API work against it unchanged. It serves the subset
 * Confluent's clients and tools use (register, look up, read by id and version, soft and permanent deletes, test
 * compatibility, read, set and reset compatibility, mode and schema types), with Confluent's paths, content type,
 * response bodies and error codes; {@link RegistryRoutes} holds the table. Schemas live in a compacted topic, in
 * Confluent's record format, so ids and deletions survive restarts. It listens on 127.0.0.1 only.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaSchemaLog log;
    private final RegistryRoutes routes;
    private final String url;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, KafkaSchemaLog log,
                                   SchemaStore store) {
        this.server = server;
        this.executor = executor;
        this.log = log;
        this.routes = new RegistryRoutes(store);
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Replays the schemas topic and starts serving on {@code port} (0 picks a free one).
     *
     * @param bootstrapServers Kafka holding the schemas topic
     * @param schemasTopic     the compacted, single-partition topic to keep schemas in; it must exist
     * @param clientConfigs    extra Kafka client settings, such as security ones
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, Topic<?, ?> schemasTopic, int port,
                                               Map<String, Object> clientConfigs) {
        if (port != 0) {
            Ports.requireFree(port, "--registry-port");
        }
        KafkaSchemaLog log = new KafkaSchemaLog(bootstrapServers, schemasTopic.name(), clientConfigs);
        ExecutorService executor = null;
        try {
            SchemaStore store = new SchemaStore(log);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "idstream-schema-registry-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, log, store);
            server.createContext("/", registry::handle);
            server.start();
            LOG.info("Schema registry up url={} topic={}", registry.url, schemasTopic.name());
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
            try {
                response = routes.dispatch(method, path, RegistryRequest.query(exchange.getRequestURI().getRawQuery()),
                        exchange.getRequestBody());
            } catch (RegistryError e) {
                response = RegistryResponse.error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Schema registry request failed method={} path={}", method, path, e);
                response = RegistryResponse.error(500, 500, "Internal Server Error: " + e.getMessage());
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
