package io.idstream.gateway.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the API's JSON answers and its one error form, {@code {"error":{"code","message"}}}. */
final class JsonResponses {
    /** Strict, since signed records arrive through it: one value, no member twice. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final String JSON = "application/json";

    private JsonResponses() {
    }

    static void send(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** 204: done, nothing to say. */
    static void noContent(Response response, Callback callback) {
        response.setStatus(204);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    static void error(Response response, Callback callback, ApiError error) {
        if (error.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        send(response, callback, error.status(), errorBody(error.code(), error.getMessage()));
    }

    static void methodNotAllowed(Response response, Callback callback, List<String> allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
        send(response, callback, 405, errorBody(ApiError.METHOD_NOT_ALLOWED, "this path takes "
                + String.join(", ", allowed)));
    }

    static ObjectNode errorBody(String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return body;
    }
}
