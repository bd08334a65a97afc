package io.idstream.gateway.views;

import io.idstream.avro.PendingRequest;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The wall-clock punctuation that removes what is due from the task's stores: requests whose time to be answered has
 * passed, answered marks no request can still need, and grant ids never completed (terms never accepted, or an
 * acceptance whose terms never verified) once the processors' replay window has passed. An entry is checked again
 * before it goes, since it may have been replaced since it was indexed; a grant in force never goes here.
 */
final class ExpiredEntries {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredEntries.class);

    private final ExpiryIndex expiry;
    private final KeyValueStore<String, PendingRequest> inbox;
    private final KeyValueStore<String, Long> answered;
    private final KeyValueStore<String, GrantProgress> grants;
    private final int maxPerPunctuation;

    ExpiredEntries(ExpiryIndex expiry, KeyValueStore<String, PendingRequest> inbox,
                   KeyValueStore<String, Long> answered, KeyValueStore<String, GrantProgress> grants,
                   int maxPerPunctuation) {
        this.expiry = expiry;
        this.inbox = inbox;
        this.answered = answered;
        this.grants = grants;
        this.maxPerPunctuation = maxPerPunctuation;
    }

    void removeDue(long now) {
        List<ExpiryIndex.Due> due = expiry.takeDue(now, maxPerPunctuation);
        for (ExpiryIndex.Due entry : due) {
            String key = entry.holderKey();
            switch (entry.storeName()) {
                case GatewayStores.INBOX -> {
                    PendingRequest request = inbox.get(key);
                    if (request != null && request.getExpiresAt() <= now) {
                        inbox.delete(key);
                    }
                }
                case GatewayStores.ANSWERED -> answered.delete(key);
                case GatewayStores.GRANTS -> {
                    GrantProgress progress = grants.get(key);
                    if (progress != null && !progress.active()) {
                        grants.delete(key);
                    }
                }
                default -> LOG.warn("Unknown store in the expiry index key={}", entry.indexKey());
            }
        }
        if (!due.isEmpty()) {
            LOG.debug("Removed expired entries count={}", due.size());
        }
    }
}
