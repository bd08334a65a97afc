package io.idstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe client of the Confluent Schema Registry REST API (the paths, JSON bodies and
 * {@code application/vnd.schemaregistry.v1+json} content type of Confluent's documentation). Schemas by id and ids by
 * (subject, schema) are cached for the client's lifetime: both are immutable in a registry, so the cache never goes
 * stale. Share one instance per registry URL to share its cache.
 */
public final class SchemaRegistryClient implements SchemaRegistry {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Optional<String> authorization;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param baseUrl        the registry's base URL, such as {@code http://127.0.0.1:8081}
     * @param requestTimeout how long one request may take before it fails
     * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null for none
     */
    public SchemaRegistryClient(String baseUrl, Duration requestTimeout, String basicAuthUserInfo) {
        this(baseUrl, requestTimeout, basicAuthUserInfo, null);
    }

    /**
     * As {@link #SchemaRegistryClient(String, Duration, String)}, for an {@code https://} registry whose
     * certificate {@code trust} checks ({@link RegistryTruststore}); null trusts the Java runtime's CAs.
     */
    public SchemaRegistryClient(String baseUrl, Duration requestTimeout, String basicAuthUserInfo,
                                SSLContext trust) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.baseUri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL is not a valid URL: " + baseUrl, e);
        }
        String scheme = baseUri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("schema registry URL must start with http:// or https://: " + baseUrl);
        }
        this.requestTimeout = requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(requestTimeout);
        if (trust != null) {
            http.sslContext(trust);
        }
        this.http = http.build();
        this.authorization = Optional.ofNullable(basicAuthUserInfo).filter(s -> !s.isEmpty())
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(30), null);
    }

    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\0' + schema;
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = body.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("schema registry answered registration without an id: " + body, 200, -1);
        }
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Finds {@code schema} among the versions of {@code subject}; fails with 40401 or 40403 when it is not there. */
    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        RegisteredSchema found = registered(body);
        idsBySubjectAndSchema.put(subject + '\0' + schema, found.id());
        return found;
    }

    /** The schema with this global id, as the Confluent wire format references it. */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode body = send("GET", "/schemas/ids/" + id, null);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new SchemaRegistryException("schema id " + id + " is a " + type + " schema, not Avro", 200, -1);
        }
        Schema schema = parse(body.path("schema").asText());
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** One version of a subject: a number, or {@code latest}. */
    public RegisteredSchema version(String subject, String version) {
        return registered(send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null));
    }

    /** Whether {@code schema} is compatible with a version ({@code latest} or a number) under the subject's rule. */
    public boolean isCompatible(String subject, String version, Schema schema) {
        JsonNode body = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/" + encode(version),
                schemaBody(schema));
        return body.path("is_compatible").asBoolean(false);
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    public String compatibility(String subject) {
        return send("GET", configPath(subject), null).path("compatibilityLevel").asText();
    }

    /** Sets the compatibility level (NONE, BACKWARD, FORWARD, FULL, their _TRANSITIVE forms) of a subject or all. */
    public void setCompatibility(String subject, String level) {
        send("PUT", configPath(subject), JSON.createObjectNode().put("compatibility", level));
    }

    /** The config resource of a subject, or the global one when {@code subject} is null. */
    private static String configPath(String subject) {
        return subject == null ? "/config" : "/config/" + encode(subject);
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static RegisteredSchema registered(JsonNode body) {
        return new RegisteredSchema(body.path("subject").asText(), body.path("id").asInt(),
                body.path("version").asInt(), body.path("schema").asText());
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("schema registry returned a schema that does not parse as Avro: "
                    + e.getMessage(), 200, -1);
        }
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUri + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + baseUri, e);
        }
        JsonNode json = readJson(response.body());
        if (response.statusCode() / 100 != 2) {
            int errorCode = json.path("error_code").asInt(response.statusCode());
            String message = json.path("message").asText(response.body());
            throw new SchemaRegistryException("schema registry " + method + " " + path + " failed with HTTP "
                    + response.statusCode() + " (error_code " + errorCode + "): " + message,
                    response.statusCode(), errorCode);
        }
        return json;
    }

    private static JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
