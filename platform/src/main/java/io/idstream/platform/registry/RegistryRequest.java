package io.idstream.platform.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.idstream.platform.registry.RegistryError.Code.BAD_REQUEST;
import static io.idstream.platform.registry.RegistryError.Code.INVALID_SCHEMA;
import static io.idstream.platform.registry.RegistryError.Code.PAYLOAD_TOO_LARGE;

/**
 * What a handler reads from one request: the path parameters its route named, the query parameters, who sent it,
 * and the body in Confluent's request shapes ({@code {"schema": ...}}, {@code {"compatibility": ...}}), of at most
 * {@link #MAX_BODY_BYTES}.
 */
record RegistryRequest(Map<String, String> pathParameters, Map<String, String> query, Caller caller,
                       InputStream body) {
    /** 1 MiB: far above any schema idstream registers, and about the largest record the broker takes by default. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    String path(String name) {
        return pathParameters.get(name);
    }

    /** A boolean query parameter such as {@code deleted} or {@code permanent}; absent means false. */
    boolean flag(String name) {
        return Boolean.parseBoolean(query.getOrDefault(name, "false"));
    }

    /** The Avro schema text of a register, lookup or compatibility request. */
    String schema() throws IOException {
        JsonNode request = readBody();
        String type = request.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryError(INVALID_SCHEMA,
                    "schema type " + type + " is not supported; this registry holds Avro");
        }
        if (request.path("references").size() > 0) {
            throw new RegistryError(INVALID_SCHEMA, "schema references are not supported by this registry");
        }
        JsonNode schema = request.path("schema");
        if (!schema.isTextual()) {
            throw new RegistryError(INVALID_SCHEMA, "the request body has no \"schema\" string");
        }
        return schema.asText();
    }

    CompatibilityLevel compatibilityLevel() throws IOException {
        return CompatibilityLevel.parse(readBody().path("compatibility").asText(null));
    }

    private JsonNode readBody() throws IOException {
        // A chunked body has no length to check up front: read one byte past the limit, never the whole body.
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new RegistryError(PAYLOAD_TOO_LARGE, MAX_BODY_BYTES);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryError(BAD_REQUEST, "Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryError(BAD_REQUEST, "Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The decoded segments of a raw request path. */
    static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                // A literal '+' in a path is a plus sign, not an encoded space.
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    /** The decoded parameters of a raw query string; a name without a value reads as {@code true}. */
    static Map<String, String> query(String rawQuery) {
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
}
