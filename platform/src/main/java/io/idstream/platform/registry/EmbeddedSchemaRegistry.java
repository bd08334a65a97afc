package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import io.idstream.schemas.registry.RegisteredSchema;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Schema Registry speaking Confluent's REST API, for the embedded default: Confluent's serializers, our
 * {@link SchemaRegistryClient} and any other client of that API work against it unchanged. It serves the subset
 * idstream and Confluent's serdes use (register, look up, read by id and version, test compatibility, read and set
 * compatibility), with Confluent's paths, content type, response bodies and error codes. Schemas live in a compacted
 * topic, so ids survive restarts. It listens on 127.0.0.1 only.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaSchemaLog log;
    private final SchemaStore store;
    private final String url;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, KafkaSchemaLog log,
                                   SchemaStore store) {
        this.server = server;
        this.executor = executor;
        this.log = log;
        this.store = store;
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
            List<String> path = segments(exchange.getRequestURI().getRawPath());
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Response response;
            try {
                response = route(method, path, query, exchange.getRequestBody());
            } catch (RegistryError e) {
                response = error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Schema registry request failed method={} path={}", method, path, e);
                response = error(500, 500, "Internal Server Error: " + e.getMessage());
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

    private Response route(String method, List<String> path, Map<String, String> query, InputStream body)
            throws IOException {
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        switch (first) {
            case "subjects" -> {
                if (n == 1 && method.equals("GET")) {
                    return ok(JSON.valueToTree(store.subjects()));
                }
                if (n == 2 && method.equals("POST")) {
                    return ok(registered(store.lookup(path.get(1), schemaOf(body))));
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("GET")) {
                    return ok(JSON.valueToTree(store.versions(path.get(1))));
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("POST")) {
                    RegisteredSchema registered = store.register(path.get(1), schemaOf(body));
                    return ok(JSON.createObjectNode().put("id", registered.id()));
                }
                if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                    return ok(registered(store.version(path.get(1), path.get(3))));
                }
                if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("schema") && method.equals("GET")) {
                    return new Response(200, store.version(path.get(1), path.get(3)).schema());
                }
            }
            case "schemas" -> {
                if (n >= 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    int id = schemaId(path.get(2));
                    String schema = store.schemaById(id)
                            .orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
                    if (n == 3) {
                        return ok(JSON.createObjectNode().put("schema", schema));
                    }
                    if (n == 4 && path.get(3).equals("schema")) {
                        return new Response(200, schema);
                    }
                    if (n == 4 && path.get(3).equals("subjects")) {
                        return ok(JSON.valueToTree(store.subjectsOf(id)));
                    }
                }
            }
            case "compatibility" -> {
                if (method.equals("POST") && n >= 4 && path.get(1).equals("subjects") && path.get(3).equals("versions")
                        && n <= 5) {
                    String version = n == 5 ? path.get(4) : null;
                    List<String> problems = store.compatibilityProblems(path.get(2), version, schemaOf(body));
                    ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (Boolean.parseBoolean(query.getOrDefault("verbose", "false"))) {
                        ArrayNode messages = result.putArray("messages");
                        problems.forEach(messages::add);
                    }
                    return ok(result);
                }
            }
            case "config" -> {
                if (n == 1 && method.equals("GET")) {
                    return ok(JSON.createObjectNode().put("compatibilityLevel", store.globalCompatibility().name()));
                }
                if (n == 1 && method.equals("PUT")) {
                    CompatibilityLevel level = levelOf(body);
                    store.setCompatibility(null, level);
                    return ok(JSON.createObjectNode().put("compatibility", level.name()));
                }
                if (n == 2 && method.equals("GET")) {
                    String subject = path.get(1);
                    boolean defaultToGlobal = Boolean.parseBoolean(query.getOrDefault("defaultToGlobal", "false"));
                    Optional<CompatibilityLevel> level = store.subjectCompatibility(subject);
                    if (level.isEmpty() && !defaultToGlobal) {
                        throw new RegistryError(404, RegistryError.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                                "Subject '" + subject + "' does not have subject-level compatibility configured");
                    }
                    return ok(JSON.createObjectNode().put("compatibilityLevel",
                            level.orElse(store.globalCompatibility()).name()));
                }
                if (n == 2 && method.equals("PUT")) {
                    CompatibilityLevel level = levelOf(body);
                    store.setCompatibility(path.get(1), level);
                    return ok(JSON.createObjectNode().put("compatibility", level.name()));
                }
            }
            case "" -> {
                if (method.equals("GET")) {
                    return ok(JSON.createObjectNode());
                }
            }
            default -> { }
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private static ObjectNode registered(RegisteredSchema schema) {
        return JSON.createObjectNode().put("subject", schema.subject()).put("version", schema.version())
                .put("id", schema.id()).put("schema", schema.schema());
    }

    private static String schemaOf(InputStream body) throws IOException {
        JsonNode request = readBody(body);
        String type = request.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw RegistryError.invalidSchema("schema type " + type + " is not supported; this registry holds Avro");
        }
        if (request.path("references").size() > 0) {
            throw RegistryError.invalidSchema("schema references are not supported by this registry");
        }
        JsonNode schema = request.path("schema");
        if (!schema.isTextual()) {
            throw RegistryError.invalidSchema("the request body has no \"schema\" string");
        }
        return schema.asText();
    }

    private static CompatibilityLevel levelOf(InputStream body) throws IOException {
        return CompatibilityLevel.parse(readBody(body).path("compatibility").asText(null));
    }

    private static JsonNode readBody(InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryError(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RegistryError(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + text + " not found");
        }
    }

    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                // A literal '+' in a path is a plus sign, not an encoded space.
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body.toString());
    }

    private static Response error(int status, int errorCode, String message) {
        return new Response(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message)
                .toString());
    }

    private record Response(int status, String body) {
    }
}
