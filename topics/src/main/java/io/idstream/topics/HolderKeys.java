package io.idstream.topics;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * Keys of holder-scoped records. Most are the holder id itself; a record about one of the holder's things (a stored
 * credential) is keyed {@code <holderId>/<thingId>} and still partitioned by the holder id alone, with the same hash
 * as Kafka's default partitioner, so it lands in the partition of every other record of that holder. Principal ids
 * cannot contain {@code /}, so the split is unambiguous.
 */
public final class HolderKeys {
    public static final char SEPARATOR = '/';

    private HolderKeys() {
    }

    public static String of(String holderId, String thingId) {
        return holderId + SEPARATOR + thingId;
    }

    /** The holder id of a plain or composite holder-scoped key. */
    public static String holderIdOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    /** The part after the holder id, or the empty string for a plain key. */
    public static String thingIdOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? "" : key.substring(at + 1);
    }

    /** The prefix shared by every composite key of one holder, for prefix scans of state stores. */
    public static String prefixOf(String holderId) {
        return holderId + SEPARATOR;
    }

    /** The partition Kafka's default partitioner picks for the holder id as a key. */
    public static int partitionOf(String holderId, int partitions) {
        return Utils.toPositive(Utils.murmur2(holderId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
