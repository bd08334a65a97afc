package io.idstream.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.Grant;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The holder gateway's JSON answers read into records ({@link AvroJson}, strict): an answer that does not parse is
 * refused with the member that does not, and an error answer becomes a {@link GatewayRefusal} with its code.
 */
final class GatewayAnswers {
    private GatewayAnswers() {
    }

    static GatewayConnection.ActiveGrant activeGrant(JsonNode json) {
        return new GatewayConnection.ActiveGrant(record(json.path("grant"), Grant.class), json.path("uses").asInt());
    }

    static GatewayConnection.AuditEntry auditEntry(JsonNode json) {
        return new GatewayConnection.AuditEntry(json.path("cursor").asLong(),
                record(json.path("entry"), AccessAudit.class));
    }

    /** The gateway's error answer, {@code {"error":{"code","message"}}}, as a refusal naming its code. */
    static GatewayRefusal refusal(int status, byte[] body) {
        try {
            JsonNode error = GatewayConnection.JSON.readTree(body).path("error");
            if (error.path("code").isTextual()) {
                return new GatewayRefusal(status, error.path("code").asText(), error.path("message").asText(""));
            }
        } catch (IOException e) {
            // Not the gateway's error form: said below.
        }
        return new GatewayRefusal(status, "unknown",
                "the answer carries no error code (is this the idstream gateway?)");
    }

    static <T extends SpecificRecord> T record(JsonNode json, Class<T> type) {
        try {
            return AvroJson.fromJson(json, type);
        } catch (IllegalArgumentException e) {
            throw new IdstreamException("the gateway sent a " + type.getSimpleName() + " that does not parse: "
                    + e.getMessage(), e);
        }
    }

    static <T> List<T> list(JsonNode answer, String member, Function<JsonNode, T> read) {
        JsonNode array = answer.path(member);
        if (!array.isArray()) {
            throw new IdstreamException("the gateway's answer carries no '" + member + "' list");
        }
        List<T> items = new ArrayList<>();
        array.forEach(item -> items.add(read.apply(item)));
        return items;
    }

    static String text(JsonNode answer, String member) {
        if (!answer.path(member).isTextual()) {
            throw new IdstreamException("the gateway's answer carries no '" + member + "'");
        }
        return answer.path(member).asText();
    }

    static JsonNode parse(String data) {
        try {
            return GatewayConnection.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IdstreamException("an event from the gateway is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
