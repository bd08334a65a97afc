package io.idstream.cli.client;

import picocli.CommandLine.ParameterException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code --type} options of a consent request and a write grant, checked as docs/protocol.md section 6a lists
 * them (1 to 16 types, each 1 to 128 bytes of UTF-8, no repeats) before any key is read, so that a mistake is a usage
 * error naming the option rather than a record the processors refuse.
 */
final class CredentialTypes {
    static final int MAX_TYPES = 16;
    static final int MAX_TYPE_BYTES = 128;

    private CredentialTypes() {
    }

    /** The types, sorted; a list the protocol refuses is thrown as {@code usage}'s exception. */
    static List<String> checked(List<String> types, Function<String, ParameterException> usage) {
        if (types.size() > MAX_TYPES) {
            throw usage.apply("--type given " + types.size() + " times: at most " + MAX_TYPES + " types");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String type : types) {
            int bytes = type.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_TYPE_BYTES) {
                throw usage.apply("--type must be 1 to " + MAX_TYPE_BYTES + " bytes, not " + bytes);
            }
            if (!sorted.add(type)) {
                throw usage.apply("--type " + type + " given twice");
            }
        }
        return List.copyOf(sorted);
    }
}
