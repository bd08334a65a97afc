package io.idstream.processors.access;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The layout of a key of the {@link io.idstream.processors.StoreNames#EXPIRY_INDEX} store, for those that read its
 * changelog: the kind's byte, 8 bytes of time, then the UTF-8 key of the entry in its own store, whose holder it is;
 * except a {@link #DONE} mark, whose key names one-off work a task has done and belongs to no holder.
 */
public final class ExpiryIndexKeys {
    /** The kind of a mark of one-off work done, rather than an expiry. */
    public static final byte DONE = 5;
    /** Where the entry's own key starts: after the kind's byte and the time. */
    public static final int ENTRY_KEY_START = 1 + Long.BYTES;

    private ExpiryIndexKeys() {
    }

    /** Whether the key is a mark of one-off work done ({@link #DONE}). */
    public static boolean isDoneMark(byte[] key) {
        return key.length > 0 && key[0] == DONE;
    }

    /** The key of the indexed entry in its own store, or empty for bytes too short to hold one. */
    public static Optional<String> entryKeyOf(byte[] key) {
        if (key.length < ENTRY_KEY_START) {
            return Optional.empty();
        }
        return Optional.of(new String(key, ENTRY_KEY_START, key.length - ENTRY_KEY_START, StandardCharsets.UTF_8));
    }
}
