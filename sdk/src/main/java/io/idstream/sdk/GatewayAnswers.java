package io.idstream.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.Grant;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
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

    /**
     * A write grant as the gateway's list serves it: the signed record's members, the holder's id implied by the
     * route (added here when the gateway leaves it out).
     */
    static WriteGrant writeGrant(JsonNode json, String holderId) {
        if (json.isObject() && !json.has("holderId")) {
            ObjectNode withHolder = ((ObjectNode) json).deepCopy();
            withHolder.put("holderId", holderId);
            return record(withHolder, WriteGrant.class);
        }
        return record(json, WriteGrant.class);
    }

    static GatewayConnection.StoredBackup storedBackup(JsonNode json, String holderId) {
        String principalId = text(json, "principalId");
        if (!principalId.equals(holderId)) {
            throw new IdstreamException("the gateway served the backup of '" + principalId + "' for '" + holderId
                    + "'");
        }
        return new GatewayConnection.StoredBackup(principalId, bytes(text(json, "backup"), "backup"),
                json.path("storedAt").asLong());
    }

    /** Bytes as the gateway's JSON carries them: base64url without padding (standard base64 read too). */
    static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] bytes(String base64, String member) {
        try {
            return base64.indexOf('+') >= 0 || base64.indexOf('/') >= 0 ? Base64.getDecoder().decode(base64)
                    : Base64.getUrlDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IdstreamException("the gateway's '" + member + "' is not base64", e);
        }
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

    /**
     * The gateway's origin as the JDK client's Host header will name it, since the gateway rebuilds {@code
     * @target-uri} from that header: a default port is dropped, as the client drops it.
     */
    static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null
                || url.getRawUserInfo() != null) {
            throw new IdstreamException("the gateway URL must be http://host:port or https://host:port, not '"
                    + url + "'");
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IdstreamException("the gateway URL must not carry a path, query or fragment: '" + url + "'");
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == (scheme.equals("http") ? 80 : 443);
        return URI.create(scheme + "://" + url.getHost() + (defaultPort ? "" : ":" + port));
    }

    /**
     * The gateway's Retry-After in milliseconds, 1 s when absent or unreadable, at most
     * {@link GatewayConnection#MAX_RETRY_PAUSE}.
     */
    static long retryAfterMillis(HttpResponse<?> response) {
        long seconds = response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                return 1L;
            }
        }).orElse(1L);
        return Math.max(0, Math.min(seconds * 1000, GatewayConnection.MAX_RETRY_PAUSE.toMillis()));
    }
}
