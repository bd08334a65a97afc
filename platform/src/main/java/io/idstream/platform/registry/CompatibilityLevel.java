package io.idstream.platform.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.idstream.platform.registry.RegistryError.Code.INVALID_COMPATIBILITY_LEVEL;

/**
 * Confluent's compatibility levels, each decided by Avro's own reader/writer compatibility check: BACKWARD means the
 * new schema reads data written with the old one, FORWARD the other way round, FULL both; the transitive forms
 * check every earlier version instead of the latest only.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RegistryError(INVALID_COMPATIBILITY_LEVEL);
        }
    }

    boolean transitive() {
        return transitive;
    }

    /**
     * Checks {@code candidate} against {@code existing} (oldest first: the latest is last) and returns one message a
     * problem; an empty list means compatible.
     */
    List<String> problems(Schema candidate, List<Schema> existing) {
        List<String> problems = new ArrayList<>();
        if (this == NONE || existing.isEmpty()) {
            return problems;
        }
        List<Schema> against = transitive ? existing : existing.subList(existing.size() - 1, existing.size());
        for (Schema previous : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous), "BACKWARD", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate), "FORWARD", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String direction,
                                 List<String> problems) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add("{errorType:'" + incompatibility.getType() + "', description:'" + direction + ": "
                    + incompatibility.getMessage() + "', location:'" + incompatibility.getLocation() + "'}");
        }
    }
}
