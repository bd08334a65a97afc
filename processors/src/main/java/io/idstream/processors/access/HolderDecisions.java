package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Revocation;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Identifiers;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireKey;

/**
 * A holder's signed decisions (docs/protocol.md section 6): a grant, which answers at once every parked request it
 * covers; a denial of a parked request; a revocation of a grant; an erasure of a credential, which ends everything
 * on it. Each must be keyed by, and signed with the key of, the holder it names.
 */
final class HolderDecisions {
    private final DirectoryView directory;
    private final HolderState state;
    private final AccessOutbox outbox;
    private final Deliveries deliveries;
    private final GrantEndings endings;
    private final LongSupplier clock;

    HolderDecisions(DirectoryView directory, HolderState state, AccessOutbox outbox, Deliveries deliveries,
                    GrantEndings endings, LongSupplier clock) {
        this.directory = directory;
        this.state = state;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.endings = endings;
        this.clock = clock;
    }

    void grant(String key, Grant grant, long timestamp) {
        String holderId = grant.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> {
            Identifiers.requireUuid("grant id", grant.getGrantId());
            Identifiers.requireUuid("credential id", grant.getCredentialId());
            if (!grant.getRequestId().isEmpty()) {
                Identifiers.requireUuid("request id", grant.getRequestId());
            }
        });
        if (grant.getMaxUses() < 0 || grant.getFields().isEmpty() || !Encoding.isStrictlySorted(grant.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "grant has negative uses or empty, unsorted or repeated fields");
        }
        byte[] holderKey = directory.signingKeyOf(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        directory.require(grant.getConsumerId(), DirectoryView.CONSUMER, RejectReason.UNKNOWN_PRINCIPAL);
        checkSignature(() -> GrantRecords.verify(holderKey, grant));
        StoredCredential credential = state.credential(holderId, grant.getCredentialId());
        if (credential == null) {
            throw new Rejection(RejectReason.NOT_OWNER, "credential " + grant.getCredentialId()
                    + " is not a stored credential of holder '" + holderId + "'");
        }
        long now = clock.getAsLong();
        if (!HolderState.isUsable(credential, now)) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + grant.getCredentialId()
                    + " is revoked or expired");
        }
        Set<String> fields = new HashSet<>();
        credential.getCredential().getFields().forEach(f -> fields.add(f.getName()));
        if (!fields.containsAll(grant.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "grant names fields the credential does not have");
        }
        state.markUsed(holderId, "grant:" + grant.getGrantId(), now);
        String grantKey = state.addGrant(grant, now);
        outbox.audit(AuditOutcome.GRANTED, AccessSubject.ofGrant(grant), timestamp);
        answerParked(grant, grantKey, credential, now, timestamp);
    }

    /** One-click reuse: every parked request the new grant covers is answered now, the named one first. */
    private void answerParked(Grant grant, String grantKey, StoredCredential credential, long now, long timestamp) {
        List<KeyValue<String, PendingRequest>> candidates = new ArrayList<>(
                state.parkedFor(grant.getHolderId()));
        candidates.sort((a, b) -> Boolean.compare(
                !a.value.getRequest().getRequestId().equals(grant.getRequestId()),
                !b.value.getRequest().getRequestId().equals(grant.getRequestId())));
        for (KeyValue<String, PendingRequest> entry : candidates) {
            AccessRequest request = entry.value.getRequest();
            boolean sameCredential = entry.value.getCredentialId().equals(grant.getCredentialId())
                    || (entry.value.getCredentialId().isEmpty()
                    && request.getCredentialType().equals(credential.getCredential().getType()));
            GrantState current = state.grant(grantKey);
            if (current == null || !sameCredential || !HolderState.covers(current, request.getConsumerId(),
                    grant.getCredentialId(), request.getFields(), now)) {
                continue;
            }
            state.unpark(entry.key);
            deliveries.deliver(request, credential, KeyValue.pair(grantKey, current), now, timestamp);
            outbox.toHolder(HolderNoticeKind.REQUEST_ANSWERED, AccessSubject.ofRequest(request,
                    grant.getCredentialId()).withGrant(grant.getGrantId()), "answered from grant "
                    + grant.getGrantId(), timestamp);
        }
    }

    void deny(String key, Denial denial, long timestamp) {
        String holderId = denial.getHolderId();
        byte[] holderKey = holderSigningKey(key, holderId);
        checkSignature(() -> DecisionRecords.verify(holderKey, denial));
        PendingRequest parked = state.unpark(holderId, denial.getRequestId());
        if (parked == null) {
            throw new Rejection(RejectReason.UNKNOWN_REQUEST, "request " + denial.getRequestId()
                    + " is not pending for holder '" + holderId + "'");
        }
        AccessSubject subject = AccessSubject.ofRequest(parked.getRequest(), parked.getCredentialId());
        outbox.toConsumer(NoticeKind.DENIED, subject, "the holder denied the request", timestamp);
        outbox.audit(AuditOutcome.DENIED, subject, timestamp);
    }

    void revoke(String key, Revocation revocation, long timestamp) {
        String holderId = revocation.getHolderId();
        byte[] holderKey = holderSigningKey(key, holderId);
        checkSignature(() -> DecisionRecords.verify(holderKey, revocation));
        Grant revoked = state.removeGrant(holderId, revocation.getGrantId());
        if (revoked == null) {
            throw new Rejection(RejectReason.UNKNOWN_GRANT, "grant " + revocation.getGrantId()
                    + " is not active for holder '" + holderId + "'");
        }
        endings.ended(revoked, NoticeKind.REVOKED, AuditOutcome.REVOKED, "the holder revoked the grant", timestamp);
    }

    void erase(String key, Erasure erasure, long timestamp) {
        String holderId = erasure.getHolderId();
        byte[] holderKey = holderSigningKey(key, holderId);
        checkSignature(() -> DecisionRecords.verify(holderKey, erasure));
        if (state.credential(holderId, erasure.getCredentialId()) == null) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + erasure.getCredentialId()
                    + " is not stored for holder '" + holderId + "'");
        }
        outbox.vault(state.deleteCredential(holderId, erasure.getCredentialId()), null, timestamp);
        endings.endEverythingOn(holderId, erasure.getCredentialId(), NoticeKind.ERASED, AuditOutcome.ERASED,
                "the holder erased the credential", timestamp);
        AccessSubject erased = AccessSubject.ofCredential(holderId, erasure.getCredentialId());
        outbox.toHolder(HolderNoticeKind.CREDENTIAL_ERASED, erased, "credential erased", timestamp);
        outbox.audit(AuditOutcome.ERASED, erased, timestamp);
    }

    /** A decision is keyed by the holder it names and signed with that holder's registered key. */
    private byte[] holderSigningKey(String key, String holderId) {
        requireKey(key, holderId, "holder id");
        return directory.signingKeyOf(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
    }
}
