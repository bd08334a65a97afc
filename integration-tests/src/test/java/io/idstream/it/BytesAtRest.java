package io.idstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
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
    private static final byte[] ZERO_BLOCK = new byte[64 * 1024];

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
     * Each of {@code values} (by name) in every form a copier of the disks would recognise it in: as is (UTF-8), as
     * hex (lower and upper case), and as base64 (standard and URL-safe), at each of the three byte offsets a value
     * can start at within a longer base64 text. A base64 form keeps only the characters that the value's bytes alone
     * determine, so that it matches whatever surrounds the value.
     */
    public static Map<String, String> inEveryForm(Map<String, String> values) {
        Map<String, String> forms = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            forms.put(name, value);
            forms.put(name + " as hex", HexFormat.of().formatHex(bytes));
            forms.put(name + " as HEX", HexFormat.of().withUpperCase().formatHex(bytes));
            for (int offset = 0; offset < 3; offset++) {
                byte[] shifted = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, shifted, offset, bytes.length);
                // Characters of the first group depend on the bytes before the value, those of a last partial
                // group on the bytes after it.
                int from = offset == 0 ? 0 : 4;
                int to = 4 * (shifted.length / 3);
                if (to - from >= SHORTEST_SEARCHABLE_VALUE) {
                    forms.put(name + " as base64 at offset " + offset,
                            Base64.getEncoder().encodeToString(shifted).substring(from, to));
                    forms.put(name + " as URL-safe base64 at offset " + offset,
                            Base64.getUrlEncoder().encodeToString(shifted).substring(from, to));
                }
            }
        });
        return forms;
    }

    /**
     * For each of {@code needles} (by name) found anywhere, the files that hold it; a needle found nowhere is not
     * in the answer. Each file is read once. A needle holds no zero byte, so no match reaches into the zeros a file
     * ends with, and they are not searched: Kafka preallocates the index files of each active segment as megabytes
     * of zeros, which are most of the bytes on a node's disk.
     */
    public Map<String, List<Path>> filesHolding(Map<String, String> needles) throws IOException {
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            if (needle.getValue().length() < SHORTEST_SEARCHABLE_VALUE) {
                throw new IllegalArgumentException(needle.getKey() + " is too short to search for");
            }
            if (needle.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException(needle.getKey() + " holds a zero byte");
            }
        }
        Map<String, List<Path>> found = new LinkedHashMap<>();
        for (Path file : files) {
            // Latin-1 maps each byte to one char, so a search in the string is a search in the bytes.
            byte[] content = Files.readAllBytes(file);
            String bytes = new String(content, 0, endOfLastNonZeroByte(content), StandardCharsets.ISO_8859_1);
            needles.forEach((name, value) -> {
                String needle = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                if (bytes.contains(needle)) {
                    found.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
                }
            });
        }
        return found;
    }

    /** The length of {@code content} without the zeros it ends with. */
    static int endOfLastNonZeroByte(byte[] content) {
        int end = content.length;
        while (end >= ZERO_BLOCK.length
                && Arrays.equals(content, end - ZERO_BLOCK.length, end, ZERO_BLOCK, 0, ZERO_BLOCK.length)) {
            end -= ZERO_BLOCK.length;
        }
        while (end > 0 && content[end - 1] == 0) {
            end--;
        }
        return end;
    }
}
