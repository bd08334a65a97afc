package io.idstream.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the platform keeps on disk, from its data directory: each Kafka Streams store's bytes, summed over the tasks
 * that hold it ({@code streams/<app>/<task>/rocksdb/<store>}, the global stores under task {@code global}), the
 * bytes of the one store {@code perTaskStore} in each task, and the broker's log directories.
 */
record StateSizes(Map<String, Long> storeBytes, Map<String, Long> perTaskBytes, long kafkaBytes) {
    static final String GLOBAL_TASK = "global";

    static StateSizes of(Path dataDir, String perTaskStore) {
        Map<String, Long> stores = new TreeMap<>();
        Map<String, Long> perTask = new TreeMap<>();
        Path streams = dataDir.resolve("streams");
        if (Files.isDirectory(streams)) {
            try (var files = Files.walk(streams)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    Path relative = streams.relativize(file);
                    for (int i = 1; i + 1 < relative.getNameCount(); i++) {
                        if (relative.getName(i).toString().equals("rocksdb")) {
                            String task = relative.getName(i - 1).toString();
                            String store = relative.getName(i + 1).toString();
                            long size = sizeOf(file);
                            String key = task.equals(GLOBAL_TASK) ? "global:" + store : store;
                            stores.merge(key, size, Long::sum);
                            if (store.equals(perTaskStore)) {
                                perTask.merge(task, size, Long::sum);
                            }
                            break;
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new StateSizes(stores, perTask, bytesUnder(dataDir.resolve("kafka")));
    }

    long store(String name) {
        return storeBytes.getOrDefault(name, 0L);
    }

    long maxPerTask() {
        return perTaskBytes.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    long minPerTask() {
        return perTaskBytes.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    /**
     * Bytes the directory takes on disk, as {@code du} counts them: Kafka preallocates each active segment's index
     * files sparsely, so their lengths overstate what the disk holds.
     */
    static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try {
            Process du = new ProcessBuilder("du", "-s", "--block-size=1", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (du.waitFor() != 0) {
                throw new IllegalStateException("du " + dir + " failed");
            }
            return Long.parseLong(out.trim().split("\\s+")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + dir, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // A RocksDB file compacted away while we walk counts as gone.
            return 0;
        }
    }
}
