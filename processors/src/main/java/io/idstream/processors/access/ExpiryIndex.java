package io.idstream.processors.access;

import io.idstream.processors.StoreNames;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * When each grant, parked request, used id and write grant is due to end, ordered by that time, so that the expiry
 * punctuation reads only what is due, however much is stored. A key is the kind's byte, the time as 8 big-endian bytes with the
 * sign bit flipped (so that byte order is numeric order, negative times too), then the UTF-8 key of the entry in its
 * own store; the value is empty. The index also marks the one-off work a task has done on its stores
 * ({@link Kind#DONE}), since it is the task's one store of bookkeeping.
 */
final class ExpiryIndex {
    enum Kind {
        GRANT(1), PENDING_REQUEST(2), USED_ID(3), WRITE_GRANT(4),
        /** Not an expiry: a mark that one-off work on the task's stores is done, at time 0, keyed by its name. */
        DONE(ExpiryIndexKeys.DONE);

        private final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }
    }

    /** An indexed entry: when it is due and its key in its own store. */
    record Due(long at, String key) {
    }

    private static final byte[] PRESENT = new byte[0];
    private static final int TIME_END = ExpiryIndexKeys.ENTRY_KEY_START;

    private final KeyValueStore<Bytes, byte[]> store;

    ExpiryIndex(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(StoreNames.EXPIRY_INDEX);
    }

    void add(Kind kind, long at, String key) {
        store.put(entry(kind, at, key), PRESENT);
    }

    void remove(Kind kind, long at, String key) {
        store.delete(entry(kind, at, key));
    }

    boolean isEmpty() {
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            return !all.hasNext();
        }
    }

    /** Whether the one-off work of that name is marked {@link Kind#DONE} for this task. */
    boolean isDone(String work) {
        return store.get(entry(Kind.DONE, 0, work)) != null;
    }

    void markDone(String work) {
        add(Kind.DONE, 0, work);
    }

    /** At most {@code limit} entries of the kind due at or before {@code upTo}, earliest first. */
    List<Due> due(Kind kind, long upTo, int limit) {
        Bytes from = Bytes.wrap(prefix(kind, Long.MIN_VALUE));
        // Inclusive upper bound: no entry equals a bare prefix, so this stops before anything due after upTo.
        Bytes to = Bytes.wrap(upTo == Long.MAX_VALUE ? new byte[] {(byte) (kind.code + 1)} : prefix(kind, upTo + 1));
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(from, to)) {
            while (due.size() < limit && entries.hasNext()) {
                byte[] key = entries.next().key.get();
                long at = ByteBuffer.wrap(key, 1, Long.BYTES).getLong() ^ Long.MIN_VALUE;
                due.add(new Due(at, new String(key, TIME_END, key.length - TIME_END, StandardCharsets.UTF_8)));
            }
        }
        return due;
    }

    private static Bytes entry(Kind kind, long at, String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(TIME_END + keyBytes.length).put(prefix(kind, at)).put(keyBytes)
                .array());
    }

    private static byte[] prefix(Kind kind, long at) {
        return ByteBuffer.allocate(TIME_END).put(kind.code).putLong(at ^ Long.MIN_VALUE).array();
    }
}
