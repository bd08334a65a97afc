package io.idstream.gateway.views;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The wall-clock punctuation that removes what is due from the task's stores: requests whose time to be answered has
 * passed, answered marks no request can still need, grant ids never completed (terms never accepted, or an
 * acceptance whose terms never verified) once the processors' replay window has passed, write grants past their
 * expiry, and consent requests older than the pending TTL. An entry is checked again before it goes, since it may
 * have been replaced since it was indexed; a grant in force never goes here.
 */
final class ExpiredEntries {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredEntries.class);

    private final ExpiryIndex expiry;
    private final KeyValueStore<String, PendingRequest> inbox;
    private final KeyValueStore<String, Long> answered;
    private final KeyValueStore<String, GrantProgress> grants;
    private final KeyValueStore<String, WriteGrantEntry> writeGrants;
    private final KeyValueStore<String, ConsentRequest> consentRequests;
    private final long pendingTtlMs;
    private final int maxPerPunctuation;

    /** Over the task's own stores, which every holder view is connected to. */
    ExpiredEntries(ProcessorContext<Void, Void> context, ExpiryIndex expiry, long pendingTtlMs,
                   int maxPerPunctuation) {
        this.expiry = expiry;
        this.inbox = context.getStateStore(GatewayStores.INBOX);
        this.answered = context.getStateStore(GatewayStores.ANSWERED);
        this.grants = context.getStateStore(GatewayStores.GRANTS);
        this.writeGrants = context.getStateStore(GatewayStores.WRITE_GRANTS);
        this.consentRequests = context.getStateStore(GatewayStores.CONSENT_REQUESTS);
        this.pendingTtlMs = pendingTtlMs;
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
                case GatewayStores.WRITE_GRANTS -> {
                    WriteGrantEntry writeGrant = writeGrants.get(key);
                    if (writeGrant != null && writeGrant.writeGrant().getExpiresAt() <= now) {
                        writeGrants.delete(key);
                    }
                }
                case GatewayStores.CONSENT_REQUESTS -> {
                    ConsentRequest request = consentRequests.get(key);
                    if (request != null && request.getCreatedAt() + pendingTtlMs <= now) {
                        consentRequests.delete(key);
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
