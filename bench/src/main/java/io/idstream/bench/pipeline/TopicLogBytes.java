package io.idstream.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of records each topic holds in the broker's log segments ({@code <topic>-<partition>/*.log} under the
 * platform's {@code kafka} directory), summed over its partitions: what a topic costs per record it keeps, before
 * replication.
 */
final class TopicLogBytes {
    private TopicLogBytes() {
    }

    static Map<String, Long> of(Path kafkaDir) {
        Map<String, Long> bytes = new TreeMap<>();
        if (!Files.isDirectory(kafkaDir)) {
            return bytes;
        }
        try (var files = Files.walk(kafkaDir)) {
            files.filter(file -> file.getFileName().toString().endsWith(".log") && Files.isRegularFile(file))
                    .forEach(file -> {
                        String partitionDir = file.getParent().getFileName().toString();
                        int dash = partitionDir.lastIndexOf('-');
                        if (dash > 0 && partitionDir.substring(dash + 1).matches("[0-9]+")) {
                            bytes.merge(partitionDir.substring(0, dash), sizeOf(file), Long::sum);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /** What each topic gained from {@code before} to {@code after}, topics that gained nothing left out. */
    static Map<String, Long> growth(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> growth = new TreeMap<>();
        after.forEach((topic, size) -> {
            long grown = size - before.getOrDefault(topic, 0L);
            if (grown > 0) {
                growth.put(topic, grown);
            }
        });
        return growth;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // A segment deleted while we walk holds nothing.
            return 0;
        }
    }
}
