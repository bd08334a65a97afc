package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.schemas.registry.RegisteredSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON keys and values Confluent's registry writes into its compacted {@code _schemas} topic, written and read
 * here the same way, so a topic written by either registry reads the same in the other. A key names what a record
 * is about ({@code SCHEMA} subject and version, {@code CONFIG} subject or global, {@code DELETE_SUBJECT} subject);
 * a soft delete rewrites a SCHEMA value with {@code "deleted": true} or appends a DELETE_SUBJECT watermark; a hard
 * delete is a tombstone under the same key bytes, so compaction drops the record for good.
 */
final class SchemaLogFormat {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLogFormat.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaLogFormat() {
    }

    /** One record of the log; a null value is a tombstone. */
    record LogRecord(byte[] key, byte[] value) {
    }

    /** What the records of the log say happened, in the order they happened. */
    interface Changes {
        void schema(RegisteredSchema schema, boolean deleted);

        void schemaRemoved(String subject, int version);

        /** Every version of {@code subject} up to {@code lastVersion} is soft-deleted. */
        void subjectDeleted(String subject, int lastVersion);

        /** A subject's level, or the global one for a null subject; a null level removes the setting. */
        void compatibility(String subject, CompatibilityLevel level);
    }

    static LogRecord schema(RegisteredSchema schema, boolean deleted) {
        ObjectNode value = JSON.createObjectNode().put("subject", schema.subject()).put("version", schema.version())
                .put("id", schema.id()).put("schema", schema.schema()).put("deleted", deleted);
        return new LogRecord(schemaKey(schema.subject(), schema.version()), bytes(value));
    }

    static LogRecord schemaTombstone(String subject, int version) {
        return new LogRecord(schemaKey(subject, version), null);
    }

    static LogRecord deleteSubject(String subject, int lastVersion) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "DELETE_SUBJECT").put("subject", subject)
                .put("magic", 0);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", lastVersion);
        return new LogRecord(bytes(key), bytes(value));
    }

    /** Sets the level of {@code subject}, or the global one for a null subject; a null level removes it. */
    static LogRecord compatibility(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", 0);
        byte[] value = level == null ? null
                : bytes(JSON.createObjectNode().put("compatibilityLevel", level.name()));
        return new LogRecord(bytes(key), value);
    }

    /** Tells {@code changes} what one record says; records of kinds that carry no state here are skipped. */
    static void read(byte[] keyBytes, byte[] valueBytes, Changes changes) {
        JsonNode key;
        JsonNode value;
        try {
            key = JSON.readTree(keyBytes);
            value = valueBytes == null ? null : JSON.readTree(valueBytes);
        } catch (IOException e) {
            LOG.warn("Skipping a record of the schema log that is not JSON: {}", e.getMessage());
            return;
        }
        switch (key.path("keytype").asText()) {
            case "SCHEMA" -> readSchema(key, value, changes);
            case "CONFIG" -> readConfig(key, value, changes);
            case "DELETE_SUBJECT" -> {
                if (value != null) {
                    changes.subjectDeleted(value.path("subject").asText(), value.path("version").asInt());
                }
            }
            default -> { } // NOOP, MODE and the other kinds Confluent's registry writes carry no state here.
        }
    }

    private static void readSchema(JsonNode key, JsonNode value, Changes changes) {
        if (value == null) {
            changes.schemaRemoved(key.path("subject").asText(), key.path("version").asInt());
            return;
        }
        changes.schema(new RegisteredSchema(value.path("subject").asText(), value.path("id").asInt(),
                value.path("version").asInt(), value.path("schema").asText()), value.path("deleted").asBoolean(false));
    }

    private static void readConfig(JsonNode key, JsonNode value, Changes changes) {
        JsonNode subject = key.path("subject");
        String name = subject.isMissingNode() || subject.isNull() ? null : subject.asText();
        CompatibilityLevel level = value == null ? null
                : CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
        changes.compatibility(name, level);
    }

    private static byte[] schemaKey(String subject, int version) {
        // Field order matters: compaction matches key bytes, and Confluent writes keytype, subject, version, magic.
        return bytes(JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1));
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
