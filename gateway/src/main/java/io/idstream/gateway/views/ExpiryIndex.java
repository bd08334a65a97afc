package io.idstream.gateway.views;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * When each entry of a holder store is due to go, keyed {@code <due, 19 digits>/<store>/<holderId>/<item>} so that
 * the store's byte order is time order and a punctuation reads only what is due. An entry removed earlier leaves its
 * index entry behind; the punctuation checks the entry again before removing it.
 */
final class ExpiryIndex {
    private final KeyValueStore<String, Long> index;

    ExpiryIndex(KeyValueStore<String, Long> index) {
        this.index = index;
    }

    void add(long due, String storeName, String holderKey) {
        index.put(padded(Math.max(0, due)) + '/' + storeName + '/' + holderKey, due);
    }

    /** The entries due at {@code now}, oldest first, at most {@code max}; removed from the index. */
    List<Due> takeDue(long now, int max) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = index.all()) {
            while (entries.hasNext() && due.size() < max) {
                KeyValue<String, Long> entry = entries.next();
                if (entry.value > now) {
                    break;
                }
                String rest = entry.key.substring(entry.key.indexOf('/') + 1);
                int split = rest.indexOf('/');
                due.add(new Due(entry.key, rest.substring(0, split), rest.substring(split + 1)));
            }
        }
        due.forEach(entry -> index.delete(entry.indexKey()));
        return due;
    }

    /** A zero-padded decimal, so that the string order of keys is their numeric order. */
    static String padded(long value) {
        return String.format("%019d", value);
    }

    record Due(String indexKey, String storeName, String holderKey) {
    }
}
