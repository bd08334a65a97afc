package io.idstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The raw bytes of every file under some directories (log segments, indexes, checkpoints, RocksDB files), searched
 * the way someone who copies the disks would search them: for plaintext that must never be at rest.
 */
public final class BytesAtRest {
    /** Values this short occur in any large enough binary file by chance, so they cannot be searched for. */
    public static final int SHORTEST_SEARCHABLE_VALUE = 5;

    private final List<Path> files = new ArrayList<>();

    private BytesAtRest() {
    }

    /** Every regular file under {@code dirs}, as it is now. */
    public static BytesAtRest under(Collection<Path> dirs) throws IOException {
        BytesAtRest scan = new BytesAtRest();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).forEach(scan.files::add);
            }
        }
        return scan;
    }

    public List<Path> files() {
        return files;
    }

    /**
     * For each of {@code needles} (by name) found anywhere, the files that hold it; a needle found nowhere is not
     * in the answer. Each file is read once.
     */
    public Map<String, List<Path>> filesHolding(Map<String, String> needles) throws IOException {
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            if (needle.getValue().length() < SHORTEST_SEARCHABLE_VALUE) {
                throw new IllegalArgumentException(needle.getKey() + " is too short to search for");
            }
        }
        Map<String, List<Path>> found = new LinkedHashMap<>();
        for (Path file : files) {
            // Latin-1 maps each byte to one char, so a search in the string is a search in the bytes.
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            needles.forEach((name, value) -> {
                String needle = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                if (bytes.contains(needle)) {
                    found.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
                }
            });
        }
        return found;
    }
}
