package io.idstream.platform.registry;

import io.idstream.platform.registry.SchemaLogFormat.LogRecord;
import io.idstream.schemas.registry.RegisteredSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the bytes the registry writes into {@code _schemas}: Confluent's key and value JSON, field for field, so a
 * topic written here reads the same in Confluent's registry and compaction collapses a soft delete onto its
 * registration. Each record also reads back as the change it stands for.
 */
@Timeout(10)
class SchemaLogFormatTest {
    private static final RegisteredSchema USER = new RegisteredSchema("users-value", 7, 2, "\"string\"");

    @Test
    void aSchemaAndItsSoftDeleteShareOneKey() {
        LogRecord registered = SchemaLogFormat.schema(USER, false);
        LogRecord softDeleted = SchemaLogFormat.schema(USER, true);

        assertThat(text(registered.key()))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":2,\"magic\":1}");
        assertThat(text(registered.value())).isEqualTo(
                "{\"subject\":\"users-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        assertThat(softDeleted.key()).isEqualTo(registered.key());
        assertThat(text(softDeleted.value())).endsWith("\"deleted\":true}");
        assertThat(read(softDeleted)).containsExactly("schema users-value v2 id 7 deleted=true");
    }

    @Test
    void aPermanentDeleteIsATombstoneUnderTheSchemasKey() {
        LogRecord tombstone = SchemaLogFormat.schemaTombstone("users-value", 2);

        assertThat(tombstone.key()).isEqualTo(SchemaLogFormat.schema(USER, false).key());
        assertThat(tombstone.value()).isNull();
        assertThat(read(tombstone)).containsExactly("removed users-value v2");
    }

    @Test
    void aSoftDeletedSubjectIsAWatermark() {
        LogRecord deleted = SchemaLogFormat.deleteSubject("users-value", 3);

        assertThat(text(deleted.key()))
                .isEqualTo("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"users-value\",\"magic\":0}");
        assertThat(text(deleted.value())).isEqualTo("{\"subject\":\"users-value\",\"version\":3}");
        assertThat(read(deleted)).containsExactly("subject users-value deleted up to v3");
    }

    @Test
    void compatibilityIsSetAndRemovedUnderTheConfigKey() {
        LogRecord global = SchemaLogFormat.compatibility(null, CompatibilityLevel.FULL);
        LogRecord removed = SchemaLogFormat.compatibility("users-value", null);

        assertThat(text(global.key())).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(text(global.value())).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
        assertThat(text(removed.key())).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"users-value\",\"magic\":0}");
        assertThat(removed.value()).isNull();
        assertThat(read(global)).containsExactly("compatibility null FULL");
        assertThat(read(removed)).containsExactly("compatibility users-value null");
    }

    @Test
    void recordsWithoutStateHereAndRecordsThatAreNotJsonAreSkipped() {
        byte[] noop = "{\"keytype\":\"NOOP\",\"magic\":0}".getBytes(StandardCharsets.UTF_8);

        assertThat(read(new LogRecord(noop, null))).isEmpty();
        assertThat(read(new LogRecord("not json".getBytes(StandardCharsets.UTF_8), null))).isEmpty();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** What reading the record tells a listener, one line per change. */
    private static List<String> read(LogRecord record) {
        List<String> changes = new ArrayList<>();
        SchemaLogFormat.read(record.key(), record.value(), new SchemaLogFormat.Changes() {
            @Override
            public void schema(RegisteredSchema schema, boolean deleted) {
                changes.add("schema " + schema.subject() + " v" + schema.version() + " id " + schema.id()
                        + " deleted=" + deleted);
            }

            @Override
            public void schemaRemoved(String subject, int version) {
                changes.add("removed " + subject + " v" + version);
            }

            @Override
            public void subjectDeleted(String subject, int lastVersion) {
                changes.add("subject " + subject + " deleted up to v" + lastVersion);
            }

            @Override
            public void compatibility(String subject, CompatibilityLevel level) {
                changes.add("compatibility " + subject + " " + level);
            }
        });
        return changes;
    }
}
