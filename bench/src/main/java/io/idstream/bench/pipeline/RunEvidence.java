package io.idstream.bench.pipeline;

import io.idstream.sdk.Identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What a run leaves in its evidence directory so that its deliveries can be checked afterwards without trusting its
 * counters: the platform's data directory, kept instead of deleted ({@link #platformData}); each consumer's keys,
 * laid out as {@code idstream --keys} reads them ({@link #keys}); and the ids of the requests of the timed run at
 * full speed, one a line ({@link #steadyRequestIds}). Start a platform on the data and read each consumer's delivery
 * topic as that consumer. The keys are the run's own, made for it, and are written private (mode 600, in a
 * directory of mode 700).
 */
public final class RunEvidence {
    private RunEvidence() {
    }

    public static Path platformData(Path evidence) {
        return evidence.resolve("platform");
    }

    public static Path keys(Path evidence) {
        return evidence.resolve("keys");
    }

    public static Path steadyRequestIds(Path evidence) {
        return evidence.resolve("steady-requests.txt");
    }

    /** Makes the directory, private; refuses one that holds something already, so that no two runs' data mix. */
    static void prepare(Path evidence) throws IOException {
        if (Files.isDirectory(evidence)) {
            try (var entries = Files.list(evidence)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("the evidence directory " + evidence + " is not empty");
                }
            }
        }
        Files.createDirectories(evidence);
        Files.setPosixFilePermissions(evidence, PosixFilePermissions.fromString("rwx------"));
    }

    static void writeConsumerKeys(Path evidence, List<Participant> consumers) {
        for (Participant consumer : consumers) {
            new Identity(consumer.id, consumer.role, consumer.signing, consumer.encryption).save(keys(evidence));
        }
    }

    static void writeSteadyRequestIds(Path evidence, List<String> requestIds) throws IOException {
        Files.write(steadyRequestIds(evidence), requestIds);
    }
}
