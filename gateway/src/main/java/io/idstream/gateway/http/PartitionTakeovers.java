package io.idstream.gateway.http;

import io.idstream.topics.HolderKeys;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this instance took over each holder partition it owns, by its clock (docs/protocol.md section 16, "Taking
 * over a partition"). It starts with no memory of the nonces the previous owner accepted, so for one replay window
 * after a takeover it refuses, as stale, a request of the partition's holders signed before the takeover: a request
 * the previous owner may have served. Told of takeovers by the topology, as its tasks are assigned and revoked.
 */
final class PartitionTakeovers {
    private final Clock clock;
    private final Map<Integer, Long> takenAtMillis = new ConcurrentHashMap<>();
    private volatile int partitionCount;

    PartitionTakeovers(Clock clock) {
        this.clock = clock;
    }

    void assigned(int partition, int partitions) {
        partitionCount = partitions;
        takenAtMillis.put(partition, clock.millis());
    }

    void revoked(int partition, int partitions) {
        partitionCount = partitions;
        takenAtMillis.remove(partition);
    }

    /**
     * Refuses with 401 stale-signature a request of the holder signed before the second in which this instance took
     * over the holder's partition, during the {@code windowSeconds} + 1 s after the takeover in which the request
     * could still be fresh. {@code created} counts whole seconds, so a holder signing in the second of the takeover
     * is served: refusing it would refuse every holder for up to a second after each start.
     */
    void checkSignedAfterTakeover(String holderId, long createdEpochSeconds, long windowSeconds) {
        int partitions = partitionCount;
        if (partitions == 0) {
            return;
        }
        Long takenAt = takenAtMillis.get(HolderKeys.partitionOf(holderId, partitions));
        if (takenAt == null) {
            return;
        }
        long now = clock.millis();
        if (now < takenAt + (windowSeconds + 1) * 1000 && createdEpochSeconds < Math.floorDiv(takenAt, 1000)) {
            throw new ApiError(401, io.idstream.crypto.http.MessageSignatures.SignatureRefused.STALE_SIGNATURE,
                    "the request was signed before this gateway instance took over the holder");
        }
    }
}
