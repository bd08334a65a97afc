package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An HTTP status and the body the registry sends with it, always in Confluent's content type. */
record RegistryResponse(int status, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RegistryResponse ok(JsonNode body) {
        return new RegistryResponse(200, body.toString());
    }

    /** Any value Jackson can write: a list of subjects, a version number. */
    static RegistryResponse ok(Object body) {
        return ok(JSON.valueToTree(body));
    }

    /** A schema's own text, sent as it is, as Confluent's {@code .../schema} endpoints do. */
    static RegistryResponse raw(String schema) {
        return new RegistryResponse(200, schema);
    }

    /** Confluent's error body: {@code {"error_code": ..., "message": ...}}. */
    static RegistryResponse error(int status, int errorCode, String message) {
        return new RegistryResponse(status, JSON.createObjectNode().put("error_code", errorCode)
                .put("message", message).toString());
    }
}
