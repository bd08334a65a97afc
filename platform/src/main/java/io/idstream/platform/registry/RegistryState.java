package io.idstream.platform.registry;

import io.idstream.schemas.registry.RegisteredSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the schema log says, folded: every subject's versions (soft-deleted ones kept and marked, as Confluent keeps
 * them until a hard delete), the compatibility settings and the highest id handed out. It only answers and applies;
 * the rules of what may change live in {@link SchemaStore}. Not thread-safe: the store guards it.
 */
final class RegistryState implements SchemaLogFormat.Changes {
    /** One version of a subject as the log holds it. */
    record StoredVersion(RegisteredSchema schema, boolean deleted) {
        int version() {
            return schema.version();
        }
    }

    private final Map<String, NavigableMap<Integer, StoredVersion>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
    private int maxId;

    @Override
    public void schema(RegisteredSchema schema, boolean deleted) {
        versionsBySubject.computeIfAbsent(schema.subject(), s -> new TreeMap<>())
                .put(schema.version(), new StoredVersion(schema, deleted));
        maxId = Math.max(maxId, schema.id());
    }

    @Override
    public void schemaRemoved(String subject, int version) {
        NavigableMap<Integer, StoredVersion> versions = versionsBySubject.get(subject);
        if (versions != null) {
            versions.remove(version);
            if (versions.isEmpty()) {
                versionsBySubject.remove(subject);
            }
        }
    }

    @Override
    public void subjectDeleted(String subject, int lastVersion) {
        NavigableMap<Integer, StoredVersion> versions = versionsBySubject.get(subject);
        if (versions != null) {
            versions.headMap(lastVersion, true)
                    .replaceAll((number, stored) -> new StoredVersion(stored.schema(), true));
        }
    }

    @Override
    public void compatibility(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalCompatibility = level == null ? CompatibilityLevel.BACKWARD : level;
        } else if (level == null) {
            subjectCompatibility.remove(subject);
        } else {
            subjectCompatibility.put(subject, level);
        }
    }

    /** Subjects with a live version, or with any version at all when {@code includeDeleted}. */
    List<String> subjects(boolean includeDeleted) {
        return versionsBySubject.keySet().stream().filter(subject -> hasVersions(subject, includeDeleted)).toList();
    }

    boolean hasVersions(String subject, boolean includeDeleted) {
        return !versions(subject, includeDeleted).isEmpty();
    }

    /** A subject's versions, oldest first: the live ones, or all of them when {@code includeDeleted}. */
    List<StoredVersion> versions(String subject, boolean includeDeleted) {
        return versionsBySubject.getOrDefault(subject, new TreeMap<>()).values().stream()
                .filter(stored -> includeDeleted || !stored.deleted()).toList();
    }

    List<RegisteredSchema> liveSchemas(String subject) {
        return versions(subject, false).stream().map(StoredVersion::schema).toList();
    }

    Optional<StoredVersion> version(String subject, int version) {
        return Optional.ofNullable(versionsBySubject.getOrDefault(subject, new TreeMap<>()).get(version));
    }

    /** The number the next version of {@code subject} gets: soft-deleted versions keep their numbers taken. */
    int nextVersion(String subject) {
        NavigableMap<Integer, StoredVersion> versions = versionsBySubject.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    /** The schema text under this id, while any version, live or soft-deleted, still holds it. */
    Optional<String> schemaById(int id) {
        return allVersions().filter(stored -> stored.schema().id() == id).map(stored -> stored.schema().schema())
                .findFirst();
    }

    /** The id this exact schema text already has, or the next free one. */
    int idFor(String canonicalSchema) {
        return allVersions().filter(stored -> stored.schema().schema().equals(canonicalSchema))
                .map(stored -> stored.schema().id()).findFirst().orElse(maxId + 1);
    }

    /** The versions, across subjects, that hold the schema with this id. */
    List<StoredVersion> versionsOf(int id, boolean includeDeleted) {
        List<StoredVersion> holders = new ArrayList<>();
        allVersions().filter(stored -> stored.schema().id() == id && (includeDeleted || !stored.deleted()))
                .forEach(holders::add);
        return holders;
    }

    CompatibilityLevel globalCompatibility() {
        return globalCompatibility;
    }

    Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectCompatibility.get(subject));
    }

    int subjectCount() {
        return versionsBySubject.size();
    }

    private Stream<StoredVersion> allVersions() {
        return versionsBySubject.values().stream().flatMap(versions -> versions.values().stream());
    }
}
