package io.idstream.platform.growth;

import io.idstream.processors.access.ExpiryIndexKeys;
import io.idstream.topics.HolderKeys;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Where a record of partition {@code source} of {@code from} partitions goes among {@code to} partitions, {@code to}
 * a multiple of {@code from}: the partition of its holder, which is always one of the source's siblings
 * ({@code source + k * from}), so that each new partition takes the records of exactly one old one, in their order.
 * A record whose key names no holder, or a holder of another partition (which the processors refused anyway), stays
 * at its partition number.
 */
record HolderRouting(int from, int to) {
    HolderRouting {
        if (to % from != 0) {
            throw new IllegalArgumentException(to + " partitions are not a multiple of " + from);
        }
    }

    /** The one partition of a record keyed {@code <holderId>} or {@code <holderId>/...} (UTF-8), or null. */
    int[] ofHolderKey(int source, byte[] key) {
        if (key == null) {
            return new int[] {source};
        }
        return ofHolder(source, Optional.of(new String(key, StandardCharsets.UTF_8)));
    }

    /**
     * The partitions of an expiry index entry: that of the holder of the entry it indexes; a mark of one-off work
     * done goes to every sibling, since each task the source's task splits into has that work done.
     */
    int[] ofExpiryIndexKey(int source, byte[] key) {
        if (key == null) {
            return new int[] {source};
        }
        if (ExpiryIndexKeys.isDoneMark(key)) {
            return siblings(source);
        }
        return ofHolder(source, ExpiryIndexKeys.entryKeyOf(key));
    }

    /** {@code source + k * from} for every k below {@code to / from}. */
    int[] siblings(int source) {
        return IntStream.range(0, to / from).map(k -> source + k * from).toArray();
    }

    private int[] ofHolder(int source, Optional<String> key) {
        int target = key.map(found -> HolderKeys.partitionOf(HolderKeys.holderIdOf(found), to)).orElse(source);
        return new int[] {target % from == source ? target : source};
    }
}
