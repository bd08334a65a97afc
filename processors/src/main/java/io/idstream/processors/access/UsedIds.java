package io.idstream.processors.access;

import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ids of requests, grants, write grants and consent requests already used, and of credentials refused for want of
 * a write grant, per holder, remembered for the replay window: a record that reuses one is a replay. Both
 * holder-scoped processors keep them, in the one {@link StoreNames#SEEN_IDS} store of their task, each id entered in
 * the {@link ExpiryIndex} by when it was used, so that the access processor's punctuation forgets it once a record
 * that old is refused as stale anyway.
 */
final class UsedIds {
    private final KeyValueStore<String, Long> seenIds;
    private final ExpiryIndex expiries;

    UsedIds(ProcessorContext<?, ?> context, ExpiryIndex expiries) {
        this.seenIds = context.getStateStore(StoreNames.SEEN_IDS);
        this.expiries = expiries;
    }

    /** Remembers an id for the holder from {@code from} on; refuses one already used as a replay. */
    void markUsed(String holderId, String id, long from) {
        requireUnused(holderId, id);
        String seenKey = HolderKeys.of(holderId, id);
        seenIds.put(seenKey, from);
        expiries.add(ExpiryIndex.Kind.USED_ID, from, seenKey);
    }

    /** Refuses, as a replay, an id the holder used, without remembering it. */
    void requireUnused(String holderId, String id) {
        if (seenIds.get(HolderKeys.of(holderId, id)) != null) {
            throw new Rejection(RejectReason.REPLAY, id + " was already used");
        }
    }

    /** Indexes the ids used before the expiry index existed; see {@link HolderState#indexEarlierState}. */
    void indexAll() {
        try (KeyValueIterator<String, Long> all = seenIds.all()) {
            all.forEachRemaining(entry -> expiries.add(ExpiryIndex.Kind.USED_ID, entry.value, entry.key));
        }
    }

    /**
     * Forgets at most {@code limit} of the ids used before {@code cutoff}, earliest first: older records are refused
     * as stale anyway.
     */
    void forgetBefore(long cutoff, int limit) {
        for (ExpiryIndex.Due due : expiries.due(ExpiryIndex.Kind.USED_ID, cutoff - 1, limit)) {
            Long usedAt = seenIds.get(due.key());
            if (usedAt != null && usedAt == due.at()) {
                seenIds.delete(due.key());
            }
            expiries.remove(ExpiryIndex.Kind.USED_ID, due.at(), due.key());
        }
    }
}
