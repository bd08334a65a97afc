package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.schemas.registry.RegisteredSchema;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's state (subjects, their versions, global schema ids, compatibility settings) and the rules that
 * change it. Every change is first appended to the log in the record format Confluent's registry keeps in its own
 * {@code _schemas} topic, then applied; replaying the log at start rebuilds the same state, so ids never change.
 *
 * <p>One writer per log: a single embedded registry owns its topic. Methods are synchronized, so the HTTP threads
 * see one consistent state.
 */
final class SchemaStore {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaSchemaLog log;
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
    private int maxId;

    SchemaStore(KafkaSchemaLog log) {
        this.log = log;
        log.replay(this::apply);
        LOG.info("Schema registry state restored subjects={} schemas={}", versionsBySubject.size(), schemasById.size());
    }

    synchronized List<String> subjects() {
        return new ArrayList<>(versionsBySubject.keySet());
    }

    synchronized List<Integer> versions(String subject) {
        return versionsOf(subject).stream().map(RegisteredSchema::version).toList();
    }

    synchronized RegisteredSchema version(String subject, String version) {
        List<RegisteredSchema> versions = versionsOf(subject);
        if (version.equals("latest") || version.equals("-1")) {
            return versions.get(versions.size() - 1);
        }
        int number = parseVersion(version);
        return versions.stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(number));
    }

    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** Subjects under which the schema with this id is registered. */
    synchronized List<String> subjectsOf(int id) {
        List<String> subjects = new ArrayList<>();
        versionsBySubject.forEach((subject, versions) -> {
            if (versions.stream().anyMatch(v -> v.id() == id)) {
                subjects.add(subject);
            }
        });
        return subjects;
    }

    synchronized RegisteredSchema lookup(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        return versionsOf(subject).stream().filter(v -> v.schema().equals(canonical)).findFirst()
                .orElseThrow(() -> RegistryError.schemaNotFound("Schema not found"));
    }

    /** Registers a schema under a subject, or returns the version already holding it. */
    synchronized RegisteredSchema register(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        List<RegisteredSchema> existing = versionsBySubject.getOrDefault(subject, List.of());
        for (RegisteredSchema version : existing) {
            if (version.schema().equals(canonical)) {
                return version;
            }
        }
        List<String> problems = compatibilityOf(subject).problems(parse(canonical), parsed(existing));
        if (!problems.isEmpty()) {
            throw new RegistryError(409, RegistryError.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\", details: " + problems);
        }
        int id = idsBySchema.getOrDefault(canonical, maxId + 1);
        int version = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).version() + 1;
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject)
                .put("version", version).put("magic", 1);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", canonical).put("deleted", false);
        appendAndApply(key, value);
        LOG.info("Registered schema subject={} version={} id={}", subject, version, id);
        return version(subject, Integer.toString(version));
    }

    /** Problems of {@code schemaText} against one version, or all with {@code version} null, under the subject's rule. */
    synchronized List<String> compatibilityProblems(String subject, String version, String schemaText) {
        Schema candidate = parse(canonical(schemaText));
        CompatibilityLevel level = compatibilityOf(subject);
        if (version == null) {
            return level.problems(candidate, parsed(versionsBySubject.getOrDefault(subject, List.of())));
        }
        RegisteredSchema against = version(subject, version);
        // Against one named version the transitive forms reduce to their plain ones.
        return level.problems(candidate, List.of(parse(against.schema())));
    }

    synchronized CompatibilityLevel globalCompatibility() {
        return globalCompatibility;
    }

    synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectCompatibility.get(subject));
    }

    synchronized CompatibilityLevel compatibilityOf(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", 0);
        appendAndApply(key, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    private void appendAndApply(ObjectNode key, ObjectNode value) {
        byte[] keyBytes = key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] valueBytes = value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        log.append(keyBytes, valueBytes);
        apply(keyBytes, valueBytes);
    }

    private void apply(byte[] keyBytes, byte[] valueBytes) {
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
            case "SCHEMA" -> applySchema(value);
            case "CONFIG" -> applyConfig(key, value);
            default -> { } // NOOP and other record kinds Confluent's registry writes carry no state.
        }
    }

    private void applySchema(JsonNode value) {
        if (value == null || value.path("deleted").asBoolean(false)) {
            return;
        }
        String subject = value.path("subject").asText();
        int id = value.path("id").asInt();
        int version = value.path("version").asInt();
        String schema = value.path("schema").asText();
        List<RegisteredSchema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        versions.removeIf(v -> v.version() == version);
        versions.add(new RegisteredSchema(subject, id, version, schema));
        versions.sort(java.util.Comparator.comparingInt(RegisteredSchema::version));
        schemasById.put(id, schema);
        idsBySchema.putIfAbsent(schema, id);
        maxId = Math.max(maxId, id);
    }

    private void applyConfig(JsonNode key, JsonNode value) {
        JsonNode subject = key.path("subject");
        boolean global = subject.isMissingNode() || subject.isNull();
        if (value == null) {
            if (global) {
                globalCompatibility = CompatibilityLevel.BACKWARD;
            } else {
                subjectCompatibility.remove(subject.asText());
            }
            return;
        }
        CompatibilityLevel level = CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
        if (global) {
            globalCompatibility = level;
        } else {
            subjectCompatibility.put(subject.asText(), level);
        }
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private static int parseVersion(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below.
        }
        throw new RegistryError(422, RegistryError.INVALID_VERSION, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static List<Schema> parsed(List<RegisteredSchema> versions) {
        return versions.stream().map(v -> parse(v.schema())).toList();
    }

    /** The registry's canonical text of a schema: Avro's own rendering of the parsed schema. */
    static String canonical(String schemaText) {
        return parse(schemaText).toString();
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.invalidSchema("the request has no schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema(e.toString());
        }
    }
}
