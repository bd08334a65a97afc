package io.idstream.gateway.views;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the requests of the holder inbox topic that wait for the holder: each under {@code <holderId>/<requestId>}
 * until the audit shows it answered ({@link AuditView}) or it expires ({@link ExpiredEntries}). The audit may be read
 * first: a request already marked answered is not kept, and the mark is spent. Issuers' consent requests are kept
 * under {@code <holderId>/<consentRequestId>} until a write grant names them ({@link WriteGrantsHandler}) or the
 * pending TTL has passed since they were made; the gateway shows them as the processors forwarded them, and the
 * holder's client verifies the issuer's signature itself. Notices are not part of any view.
 */
final class InboxView extends ViewProcessor<InboxEvent> {
    static final String NAME = "gateway-inbox-view";

    private final HolderChanges changes;
    private KeyValueStore<String, PendingRequest> inbox;
    private KeyValueStore<String, Long> answered;
    private ExpiryIndex expiry;
    private KeyValueStore<String, ConsentRequest> consentRequests;
    private final int partitions;
    private final long pendingTtlMs;

    InboxView(Deserializer<InboxEvent> deserializer, int partitions, HolderChanges changes, long pendingTtlMs) {
        super(deserializer, partitions);
        this.changes = changes;
        this.partitions = partitions;
        this.pendingTtlMs = pendingTtlMs;
    }

    @Override
    protected void open(ProcessorContext<Void, Void> context) {
        inbox = context.getStateStore(GatewayStores.INBOX);
        answered = context.getStateStore(GatewayStores.ANSWERED);
        consentRequests = context.getStateStore(GatewayStores.CONSENT_REQUESTS);
        expiry = new ExpiryIndex(context.getStateStore(GatewayStores.EXPIRY));
        // The inbox store's task decides the owner a holder's requests go to (LocalHolderViews.ownerOf), so its
        // assignment is the instance's takeover of the partition's holders.
        changes.partitionAssigned(context.taskId().partition(), partitions);
    }

    @Override
    public void close() {
        if (context != null) {
            changes.partitionRevoked(context.taskId().partition(), partitions);
        }
    }

    @Override
    protected void handle(String key, String holderId, InboxEvent value) {
        if (value == null) {
            ignore("no-value", "the inbox has no tombstones");
            return;
        }
        if (value.getEvent() instanceof ConsentRequest consentRequest) {
            consentRequested(key, holderId, consentRequest);
            return;
        }
        if (!(value.getEvent() instanceof PendingRequest request)) {
            return;
        }
        String addressedTo = request.getRequest().getHolderId();
        if (!key.equals(holderId) || !addressedTo.equals(holderId)) {
            ignore("holder-mismatch", "a request to '" + text(addressedTo) + "' under key '" + text(key) + "'");
            return;
        }
        String requestKey = HolderKeys.of(holderId, request.getRequest().getRequestId());
        if (answered.get(requestKey) != null) {
            answered.delete(requestKey);
            return;
        }
        if (request.getExpiresAt() <= context.currentSystemTimeMs()) {
            return;
        }
        boolean alreadyPending = inbox.get(requestKey) != null;
        inbox.put(requestKey, request);
        expiry.add(request.getExpiresAt(), GatewayStores.INBOX, requestKey);
        if (!alreadyPending) {
            changes.requestPending(holderId, request);
        }
    }

    private void consentRequested(String key, String holderId, ConsentRequest request) {
        if (!key.equals(holderId) || !request.getHolderId().equals(holderId)) {
            ignore("holder-mismatch", "a consent request to '" + text(request.getHolderId()) + "' under key '"
                    + text(key) + "'");
            return;
        }
        String mark = WriteGrantsHandler.answeredConsentKey(holderId, request.getConsentRequestId());
        if (answered.get(mark) != null) {
            answered.delete(mark);
            return;
        }
        long due = request.getCreatedAt() + pendingTtlMs;
        if (due <= context.currentSystemTimeMs()) {
            return;
        }
        String requestKey = HolderKeys.of(holderId, request.getConsentRequestId());
        if (consentRequests.get(requestKey) != null) {
            // The processors refuse a consent request id seen before for this holder: the first read is theirs.
            ignore("repeated-consent-request-id", "consent request " + text(request.getConsentRequestId())
                    + " was read before");
            return;
        }
        consentRequests.put(requestKey, request);
        expiry.add(due, GatewayStores.CONSENT_REQUESTS, requestKey);
        changes.consentRequested(holderId, request);
    }
}
