package io.idstream.sdk.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.DeliveryEvent;

import java.io.IOException;

/**
 * The JSON body of one webhook POST: one event of a consumer's delivery topic, still encrypted, with where it came
 * from. {@code id} ({@code <topic>/<partition>/<offset>}) is the same on every retry of the same record, so a
 * receiver drops a repeat by it; the {@code webhook-id} header carries it as {@link #webhookId()}. {@code event} is the {@code DeliveryEvent} union in {@link AvroJson}'s form:
 * <pre>{"version":"idstream/v1/webhook","id":"idstream.deliveries.exchange-a/0/42",
 *  "topic":"idstream.deliveries.exchange-a","partition":0,"offset":42,"key":"alice",
 *  "event":{"CredentialDelivery":{"requestId":"…","disclosed":[{"name":"country","ciphertext":"base64…"}],…}}}</pre>
 */
public record WebhookPayload(String id, String topic, int partition, long offset, String key, DeliveryEvent event) {
    public static final String VERSION = "idstream/v1/webhook";
    private static final ObjectMapper JSON = new ObjectMapper();

    public WebhookPayload(String topic, int partition, long offset, String key, DeliveryEvent event) {
        this(id(topic, partition, offset), topic, partition, offset, key, event);
    }

    /** The id of the record at that place: {@code <topic>/<partition>/<offset>}. */
    public static String id(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /**
     * The id as the {@code webhook-id} header carries it: Standard Webhooks signs {@code <id>.<timestamp>.<body>}, so
     * an id must have no {@code '.'}, and topic names have them. Each {@code '.'} becomes {@code %2E} (and a
     * {@code '%'}, never in a topic name, {@code %25}), so URL-decoding the header gives {@link #id()} back.
     */
    public String webhookId() {
        return id.replace("%", "%25").replace(".", "%2E");
    }

    public byte[] toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("version", VERSION);
        body.put("id", id);
        body.put("topic", topic);
        body.put("partition", partition);
        body.put("offset", offset);
        body.put("key", key);
        body.set("event", AvroJson.encode(event, DeliveryEvent.getClassSchema()).get("event"));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }

    /** Reads a body; a malformed one is an {@link IllegalArgumentException} that names what is wrong. */
    public static WebhookPayload fromJson(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        if (!VERSION.equals(root.path("version").asText(null))) {
            throw new IllegalArgumentException("version must be " + VERSION);
        }
        for (String name : new String[] {"id", "topic", "key"}) {
            if (!root.path(name).isTextual()) {
                throw new IllegalArgumentException(name + " must be a string");
            }
        }
        if (!root.path("partition").isInt() || !root.path("offset").isIntegralNumber()) {
            throw new IllegalArgumentException("partition and offset must be integers");
        }
        if (!root.has("event")) {
            throw new IllegalArgumentException("event is missing");
        }
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.set("event", root.get("event"));
        DeliveryEvent event = (DeliveryEvent) AvroJson.decode(wrapped, DeliveryEvent.getClassSchema(), "body");
        return new WebhookPayload(root.get("id").textValue(), root.get("topic").textValue(),
                root.get("partition").intValue(), root.get("offset").longValue(), root.get("key").textValue(),
                event);
    }
}
