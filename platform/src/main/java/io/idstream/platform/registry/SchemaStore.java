package io.idstream.platform.registry;

import io.idstream.platform.registry.RegistryState.StoredVersion;
import io.idstream.platform.registry.SchemaLogFormat.LogRecord;
import io.idstream.schemas.registry.RegisteredSchema;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

import static io.idstream.platform.registry.RegistryError.Code.INCOMPATIBLE_SCHEMA;
import static io.idstream.platform.registry.RegistryError.Code.INVALID_SCHEMA;
import static io.idstream.platform.registry.RegistryError.Code.INVALID_VERSION;
import static io.idstream.platform.registry.RegistryError.Code.SCHEMA_NOT_FOUND;
import static io.idstream.platform.registry.RegistryError.Code.SUBJECT_NOT_FOUND;
import static io.idstream.platform.registry.RegistryError.Code.SUBJECT_NOT_SOFT_DELETED;
import static io.idstream.platform.registry.RegistryError.Code.SUBJECT_SOFT_DELETED;
import static io.idstream.platform.registry.RegistryError.Code.VERSION_NOT_FOUND;
import static io.idstream.platform.registry.RegistryError.Code.VERSION_NOT_SOFT_DELETED;
import static io.idstream.platform.registry.RegistryError.Code.VERSION_SOFT_DELETED;

/**
 * The registry's rules, as Confluent's registry applies them: what registers under which id and version, what a
 * lookup finds, which deletes are allowed (soft first, then permanent), and what a compatibility setting falls back
 * to. Every change is first appended to the log in Confluent's record format, then applied to the
 * {@link RegistryState}; replaying the log at start rebuilds the same state, so ids and deletions survive restarts.
 *
 * <p>One writer per log: a single embedded registry owns its topic. Methods are synchronized, so the HTTP threads
 * see one consistent state.
 */
final class SchemaStore {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);
    /** Confluent's version id for "the latest live version"; the path may also say {@code latest}. */
    private static final int LATEST = -1;

    private final KafkaSchemaLog log;
    private final RegistryState state = new RegistryState();

    SchemaStore(KafkaSchemaLog log) {
        this.log = log;
        log.replay((key, value) -> SchemaLogFormat.read(key, value, state));
        LOG.info("Schema registry state restored subjects={}", state.subjectCount());
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        List<StoredVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw new RegistryError(SUBJECT_NOT_FOUND, subject);
        }
        return versions.stream().map(StoredVersion::version).toList();
    }

    /** One version by number or {@code latest} (the latest live one); soft-deleted ones only when asked for. */
    synchronized RegisteredSchema version(String subject, String version, boolean includeDeleted) {
        int number = versionNumber(version);
        Optional<StoredVersion> found = number == LATEST
                ? latestLive(subject)
                : state.version(subject, number).filter(stored -> includeDeleted || !stored.deleted());
        return found.orElseThrow(() -> missing(subject, version, includeDeleted)).schema();
    }

    synchronized Optional<String> schemaById(int id) {
        return state.schemaById(id);
    }

    /** Subjects under which the schema with this id is registered. */
    synchronized List<String> subjectsOf(int id, boolean includeDeleted) {
        return state.versionsOf(id, includeDeleted).stream().map(stored -> stored.schema().subject()).distinct()
                .toList();
    }

    synchronized RegisteredSchema lookup(String subject, String schemaText, boolean includeDeleted) {
        String canonical = canonical(schemaText);
        Optional<StoredVersion> live = matching(state.versions(subject, false), canonical);
        Optional<StoredVersion> found = live.isPresent() || !includeDeleted ? live
                : matching(state.versions(subject, true), canonical);
        if (found.isPresent()) {
            return found.get().schema();
        }
        if (!state.hasVersions(subject, includeDeleted)) {
            throw new RegistryError(SUBJECT_NOT_FOUND, subject);
        }
        throw new RegistryError(SCHEMA_NOT_FOUND, "Schema not found");
    }

    /**
     * Registers a schema under a subject, or returns the live version already holding it. Only live versions take
     * part in the compatibility check; soft-deleted ones keep their version numbers taken.
     */
    synchronized RegisteredSchema register(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        List<RegisteredSchema> live = state.liveSchemas(subject);
        for (RegisteredSchema version : live) {
            if (version.schema().equals(canonical)) {
                return version;
            }
        }
        List<String> problems = compatibilityOf(subject).problems(parse(canonical), parsed(live));
        if (!problems.isEmpty()) {
            throw new RegistryError(INCOMPATIBLE_SCHEMA, subject, problems);
        }
        RegisteredSchema registered = new RegisteredSchema(subject, state.idFor(canonical),
                state.nextVersion(subject), canonical);
        write(SchemaLogFormat.schema(registered, false));
        LOG.info("Registered schema subject={} version={} id={}", subject, registered.version(), registered.id());
        return registered;
    }

    /** Problems of {@code schemaText} against one version, or all with {@code version} null, under the subject's rule. */
    synchronized List<String> compatibilityProblems(String subject, String version, String schemaText) {
        Schema candidate = parse(canonical(schemaText));
        CompatibilityLevel level = compatibilityOf(subject);
        if (version == null) {
            return level.problems(candidate, parsed(state.liveSchemas(subject)));
        }
        RegisteredSchema against = version(subject, version, false);
        // Against one named version the transitive forms reduce to their plain ones.
        return level.problems(candidate, List.of(parse(against.schema())));
    }

    /**
     * Deletes a subject: softly (its live versions are hidden but keep their ids and numbers), or permanently, which
     * Confluent only allows once every version is soft-deleted, and which also drops the subject's compatibility.
     * Returns the version numbers deleted.
     */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        if (!state.hasVersions(subject, true)) {
            throw new RegistryError(SUBJECT_NOT_FOUND, subject);
        }
        if (!permanent) {
            List<Integer> live = state.versions(subject, false).stream().map(StoredVersion::version).toList();
            if (live.isEmpty()) {
                throw new RegistryError(SUBJECT_SOFT_DELETED, subject);
            }
            write(SchemaLogFormat.deleteSubject(subject, live.get(live.size() - 1)));
            LOG.info("Soft-deleted subject={} versions={}", subject, live);
            return live;
        }
        if (state.hasVersions(subject, false)) {
            throw new RegistryError(SUBJECT_NOT_SOFT_DELETED, subject);
        }
        List<Integer> all = versions(subject, true);
        for (int i = all.size() - 1; i >= 0; i--) {
            write(SchemaLogFormat.schemaTombstone(subject, all.get(i)));
        }
        dropSubjectCompatibility(subject);
        LOG.info("Permanently deleted subject={} versions={}", subject, all);
        return all;
    }

    /** Deletes one version, softly or (once soft-deleted) permanently; returns its number. */
    synchronized int deleteVersion(String subject, String version, boolean permanent) {
        int number = versionNumber(version);
        StoredVersion target = (number == LATEST ? latestLive(subject) : state.version(subject, number))
                .orElseThrow(() -> missing(subject, version, true));
        if (!permanent && target.deleted()) {
            throw new RegistryError(VERSION_SOFT_DELETED, subject, target.version());
        }
        if (permanent && !target.deleted()) {
            throw new RegistryError(VERSION_NOT_SOFT_DELETED, subject, target.version());
        }
        if (permanent) {
            write(SchemaLogFormat.schemaTombstone(subject, target.version()));
            if (!state.hasVersions(subject, true)) {
                dropSubjectCompatibility(subject);
            }
        } else {
            write(SchemaLogFormat.schema(target.schema(), true));
        }
        LOG.info("Deleted schema version subject={} version={} permanent={}", subject, target.version(), permanent);
        return target.version();
    }

    synchronized CompatibilityLevel globalCompatibility() {
        return state.globalCompatibility();
    }

    synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return state.subjectCompatibility(subject);
    }

    synchronized CompatibilityLevel compatibilityOf(String subject) {
        return state.subjectCompatibility(subject).orElse(state.globalCompatibility());
    }

    /** Sets the level of {@code subject}, or the global one for a null subject. */
    synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        write(SchemaLogFormat.compatibility(subject, level));
    }

    /**
     * Removes the level of {@code subject}, which then follows the global one, or resets the global one (null
     * subject) to the default; returns the level removed.
     */
    synchronized CompatibilityLevel deleteCompatibility(String subject) {
        CompatibilityLevel previous = subject == null ? state.globalCompatibility()
                : state.subjectCompatibility(subject).orElseThrow(() -> new RegistryError(SUBJECT_NOT_FOUND, subject));
        write(SchemaLogFormat.compatibility(subject, null));
        return previous;
    }

    private void dropSubjectCompatibility(String subject) {
        if (state.subjectCompatibility(subject).isPresent()) {
            write(SchemaLogFormat.compatibility(subject, null));
        }
    }

    private void write(LogRecord record) {
        log.append(record.key(), record.value());
        SchemaLogFormat.read(record.key(), record.value(), state);
    }

    private Optional<StoredVersion> latestLive(String subject) {
        List<StoredVersion> live = state.versions(subject, false);
        return live.isEmpty() ? Optional.empty() : Optional.of(live.get(live.size() - 1));
    }

    /** Confluent's answer for a version that is not there: the subject is unknown, or only the version is. */
    private RegistryError missing(String subject, String version, boolean includeDeleted) {
        return state.hasVersions(subject, includeDeleted) ? new RegistryError(VERSION_NOT_FOUND, version)
                : new RegistryError(SUBJECT_NOT_FOUND, subject);
    }

    private static Optional<StoredVersion> matching(List<StoredVersion> versions, String canonical) {
        return versions.stream().filter(stored -> stored.schema().schema().equals(canonical)).findFirst();
    }

    private static int versionNumber(String version) {
        if (version.equals("latest")) {
            return LATEST;
        }
        try {
            int number = Integer.parseInt(version);
            if (number >= 1 || number == LATEST) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below.
        }
        throw new RegistryError(INVALID_VERSION, version);
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
            throw new RegistryError(INVALID_SCHEMA, "the request has no schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException e) {
            throw new RegistryError(INVALID_SCHEMA, e.getMessage());
        } catch (RuntimeException e) {
            throw new RegistryError(INVALID_SCHEMA, e.toString());
        }
    }
}
