package io.idstream.gateway.views;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.gateway.views.GrantTermsView.TermsCheck;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Optional;

/**
 * The holder's write grants as the decisions topic carries them (docs/protocol.md section 6a): a write grant is kept
 * under {@code <holderId>/<writeGrantId>} until the holder's revocation of it or its expiry. Anyone allowed to write
 * that topic may write any record, so only the holder's own records count: keyed by the holder they name and signed
 * with the key the verified directory binds to her (a write grant of a holder the directory does not show yet is kept
 * unverified, and shown once it verifies). A write grant that names a consent request answers it: the request leaves
 * the holder's consent requests, or, not read yet, is marked answered so that it never shows.
 */
final class WriteGrantsHandler {
    /** The prefix of a consent request's answered mark in the answered store, apart from access requests' ids. */
    static final String CONSENT_ANSWERED = "consent:";

    /** Skips a record, counted by reason; the view's own {@link ViewProcessor#ignore}. */
    @FunctionalInterface
    interface Ignorer {
        void ignore(String reason, String detail);
    }

    private final long pendingTtlMs;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, WriteGrantEntry> writeGrants;
    private KeyValueStore<String, ConsentRequest> consentRequests;
    private KeyValueStore<String, Long> answered;
    private ExpiryIndex expiry;
    private DirectoryView directory;

    WriteGrantsHandler(long pendingTtlMs) {
        this.pendingTtlMs = pendingTtlMs;
    }

    void open(ProcessorContext<Void, Void> context) {
        this.context = context;
        writeGrants = context.getStateStore(GatewayStores.WRITE_GRANTS);
        consentRequests = context.getStateStore(GatewayStores.CONSENT_REQUESTS);
        answered = context.getStateStore(GatewayStores.ANSWERED);
        expiry = new ExpiryIndex(context.getStateStore(GatewayStores.EXPIRY));
        directory = DirectoryView.ofAllRoles(context);
    }

    /** The key of the mark that a consent request was answered before it was read. */
    static String answeredConsentKey(String holderId, String consentRequestId) {
        return HolderKeys.of(holderId, CONSENT_ANSWERED + consentRequestId);
    }

    void writeGrant(String key, String holderId, WriteGrant writeGrant, Ignorer ignorer) {
        String id = writeGrant.getWriteGrantId();
        if (!key.equals(holderId) || !writeGrant.getHolderId().equals(holderId)) {
            ignorer.ignore("holder-mismatch", "write grant " + ViewProcessor.text(id) + " of '"
                    + ViewProcessor.text(writeGrant.getHolderId()) + "' under key '" + ViewProcessor.text(key) + "'");
            return;
        }
        if (writeGrant.getExpiresAt() <= writeGrant.getIssuedAt()) {
            ignorer.ignore("malformed", "write grant " + ViewProcessor.text(id) + " ends before it begins");
            return;
        }
        TermsCheck check = check(directory.find(holderId), writeGrant);
        if (check == TermsCheck.BAD_SIGNATURE) {
            ignorer.ignore("bad-signature", "write grant " + ViewProcessor.text(id)
                    + " is not signed by the key of '" + ViewProcessor.text(holderId) + "'");
            return;
        }
        String grantKey = HolderKeys.of(holderId, id);
        if (writeGrants.get(grantKey) != null) {
            // The processors refuse a write grant id seen before, so the one read first is the one they judged.
            ignorer.ignore("repeated-write-grant-id", "write grant " + ViewProcessor.text(id) + " was read before");
            return;
        }
        long now = context.currentSystemTimeMs();
        if (check == TermsCheck.VERIFIED && !writeGrant.getConsentRequestId().isEmpty()) {
            answerConsentRequest(holderId, writeGrant.getConsentRequestId(), now);
        }
        if (writeGrant.getExpiresAt() <= now) {
            return;
        }
        writeGrants.put(grantKey, new WriteGrantEntry(writeGrant, check == TermsCheck.VERIFIED));
        expiry.add(writeGrant.getExpiresAt(), GatewayStores.WRITE_GRANTS, grantKey);
    }

    void revocation(String key, String holderId, WriteGrantRevocation revocation, Ignorer ignorer) {
        String id = revocation.getWriteGrantId();
        if (!key.equals(holderId) || !revocation.getHolderId().equals(holderId)) {
            ignorer.ignore("holder-mismatch", "revocation of write grant " + ViewProcessor.text(id) + " of '"
                    + ViewProcessor.text(revocation.getHolderId()) + "' under key '" + ViewProcessor.text(key)
                    + "'");
            return;
        }
        TermsCheck check = TermsCheck.of(directory.find(holderId),
                holderKey -> WriteGrantRecords.verify(holderKey, revocation));
        if (check != TermsCheck.VERIFIED) {
            ignorer.ignore(check == TermsCheck.BAD_SIGNATURE ? "bad-signature" : "unknown-holder",
                    "revocation of write grant " + ViewProcessor.text(id) + " is not signed by the key of '"
                            + ViewProcessor.text(holderId) + "'");
            return;
        }
        String grantKey = HolderKeys.of(holderId, id);
        if (writeGrants.get(grantKey) == null) {
            ignorer.ignore("unknown-write-grant", "write grant " + ViewProcessor.text(id) + " is not in force");
            return;
        }
        writeGrants.delete(grantKey);
    }

    private void answerConsentRequest(String holderId, String consentRequestId, long now) {
        String requestKey = HolderKeys.of(holderId, consentRequestId);
        if (consentRequests.get(requestKey) != null) {
            consentRequests.delete(requestKey);
            return;
        }
        // A consent request older than the pending TTL is not shown, so the mark need not outlive it.
        String mark = answeredConsentKey(holderId, consentRequestId);
        answered.put(mark, now);
        expiry.add(now + pendingTtlMs, GatewayStores.ANSWERED, mark);
    }

    /** Whether a write grant is its holder's own, by the key the verified directory binds to the holder. */
    static TermsCheck check(Optional<VerifiedPrincipal> holder, WriteGrant writeGrant) {
        return TermsCheck.of(holder, holderKey -> WriteGrantRecords.verify(holderKey, writeGrant));
    }
}
