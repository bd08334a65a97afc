package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.processors.RejectReason;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

import static io.idstream.processors.Checks.requireFound;

/**
 * The requests parked in holders' inboxes, part of {@link HolderState}: stored by {@code <holderId>/<requestId>},
 * indexed by {@code <holderId>/<consumerId>/<requestId>} so that one consumer's requests waiting for one holder are
 * a prefix range (counted against the pending limit, answered by a new grant, never a whole holder's inbox), and
 * entered in the {@link ExpiryIndex} by when their wait ends.
 */
final class ParkedRequests {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, PendingRequest> pending;
    private final KeyValueStore<String, Long> pendingByConsumer;
    private final ExpiryIndex expiries;

    ParkedRequests(ProcessorContext<?, ?> context, ExpiryIndex expiries) {
        this.pending = context.getStateStore(StoreNames.PENDING_REQUESTS);
        this.pendingByConsumer = context.getStateStore(StoreNames.PENDING_BY_CONSUMER);
        this.expiries = expiries;
    }

    void park(PendingRequest parked) {
        AccessRequest request = parked.getRequest();
        String pendingKey = HolderKeys.of(request.getHolderId(), request.getRequestId());
        pending.put(pendingKey, parked);
        index(pendingKey, parked);
    }

    /** Indexes every request parked before the indexes existed; see {@link HolderState#indexEarlierState}. */
    void indexAll() {
        try (KeyValueIterator<String, PendingRequest> all = pending.all()) {
            all.forEachRemaining(entry -> index(entry.key, entry.value));
        }
    }

    private void index(String pendingKey, PendingRequest parked) {
        pendingByConsumer.put(byConsumerKey(parked.getRequest()), parked.getExpiresAt());
        expiries.add(ExpiryIndex.Kind.PENDING_REQUEST, parked.getExpiresAt(), pendingKey);
    }

    /** Whether the consumer has at least {@code limit} requests parked for the holder; reads at most that many. */
    boolean hasAtLeast(String holderId, String consumerId, int limit) {
        int parked = 0;
        try (KeyValueIterator<String, Long> entries = pendingByConsumer.prefixScan(
                byConsumerPrefix(holderId, consumerId), KEYS)) {
            while (parked < limit && entries.hasNext()) {
                entries.next();
                parked++;
            }
        }
        return parked >= limit;
    }

    /** Every request the consumer has parked for the holder, with its key: one prefix range, bounded by the limit. */
    List<KeyValue<String, PendingRequest>> of(String holderId, String consumerId) {
        List<KeyValue<String, PendingRequest>> found = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = pendingByConsumer.prefixScan(
                byConsumerPrefix(holderId, consumerId), KEYS)) {
            entries.forEachRemaining(entry -> {
                String pendingKey = HolderKeys.of(holderId, HolderKeys.thingIdOf(HolderKeys.thingIdOf(entry.key)));
                PendingRequest parked = pending.get(pendingKey);
                if (parked != null) {
                    found.add(KeyValue.pair(pendingKey, parked));
                }
            });
        }
        return found;
    }

    void unpark(String pendingKey) {
        PendingRequest parked = pending.get(pendingKey);
        if (parked != null) {
            deletePending(pendingKey, parked);
        }
    }

    /** Removes the holder's parked request; refuses a denial of a request that is not pending. */
    PendingRequest unpark(String holderId, String requestId) {
        String pendingKey = HolderKeys.of(holderId, requestId);
        PendingRequest parked = requireFound(pending.get(pendingKey), RejectReason.UNKNOWN_REQUEST, "request "
                + requestId + " is not pending for holder '" + holderId + "'");
        deletePending(pendingKey, parked);
        return parked;
    }

    List<PendingRequest> unparkAllOn(String holderId, String credentialId) {
        List<PendingRequest> removed = new ArrayList<>();
        for (KeyValue<String, PendingRequest> entry : HolderState.scan(pending, holderId,
                p -> p.getCredentialId().equals(credentialId))) {
            deletePending(entry.key, entry.value);
            removed.add(entry.value);
        }
        return removed;
    }

    /** At most {@code limit} of the requests whose wait ended at {@code now}, removed, earliest first. */
    List<PendingRequest> unparkExpiredAt(long now, int limit) {
        List<PendingRequest> removed = new ArrayList<>();
        for (ExpiryIndex.Due due : expiries.due(ExpiryIndex.Kind.PENDING_REQUEST, now, limit)) {
            PendingRequest parked = pending.get(due.key());
            if (parked == null || parked.getExpiresAt() != due.at()) {
                expiries.remove(ExpiryIndex.Kind.PENDING_REQUEST, due.at(), due.key());
                continue;
            }
            deletePending(due.key(), parked);
            removed.add(parked);
        }
        return removed;
    }

    private void deletePending(String pendingKey, PendingRequest parked) {
        pending.delete(pendingKey);
        pendingByConsumer.delete(byConsumerKey(parked.getRequest()));
        expiries.remove(ExpiryIndex.Kind.PENDING_REQUEST, parked.getExpiresAt(), pendingKey);
    }

    private static String byConsumerKey(AccessRequest request) {
        return byConsumerPrefix(request.getHolderId(), request.getConsumerId()) + request.getRequestId();
    }

    /** Principal ids hold no separator, so one consumer's prefix never covers another's. */
    private static String byConsumerPrefix(String holderId, String consumerId) {
        return HolderKeys.prefixOf(holderId) + consumerId + HolderKeys.SEPARATOR;
    }
}
