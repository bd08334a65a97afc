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
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireFound;
import static io.idstream.processors.Checks.requireKey;

/**
 * A holder's signed decisions (docs/protocol.md section 6): a grant, which answers at once every parked request it
 * covers; a denial of a parked request; a revocation of a grant; an erasure of a credential, which ends everything
 * on it. Each must be keyed by, and signed with the key of, the holder it names.
 */
final class HolderDecisions {
    private final AccessContext access;

    HolderDecisions(AccessContext access) {
        this.access = access;
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
        byte[] holderKey = access.directory().signingKeyOf(holderId, DirectoryView.HOLDER,
                RejectReason.UNKNOWN_HOLDER);
        byte[] consumerEncryptionKey = access.directory().encryptionKey(access.directory().require(
                grant.getConsumerId(), DirectoryView.CONSUMER, RejectReason.UNKNOWN_PRINCIPAL));
        checkSignature(() -> GrantRecords.verify(holderKey, grant));
        long now = access.now();
        requireIssuedWithinTheWindow(grant, now);
        StoredCredential credential = requireFound(access.state().credential(holderId, grant.getCredentialId()),
                RejectReason.NOT_OWNER, "credential " + grant.getCredentialId()
                        + " is not a stored credential of holder '" + holderId + "'");
        if (!HolderState.isUsable(credential, now)) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + grant.getCredentialId()
                    + " is revoked or expired");
        }
        Set<String> fields = new HashSet<>();
        credential.getCredential().getFields().forEach(f -> fields.add(f.getName()));
        if (!fields.containsAll(grant.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "grant names fields the credential does not have");
        }
        access.state().markUsed(holderId, "grant:" + grant.getGrantId(), rememberedFrom(grant, now));
        // An id forgotten under a replay window shorter than today's is not stale yet: an active grant is never taken
        // again whatever the window was.
        if (access.state().grant(HolderKeys.of(holderId, grant.getGrantId())) != null) {
            throw new Rejection(RejectReason.REPLAY, "grant " + grant.getGrantId() + " is already active");
        }
        String grantKey = access.state().addGrant(grant, now, holderKey, consumerEncryptionKey);
        access.outbox().audit(AuditOutcome.GRANTED, AccessSubject.ofGrant(grant), timestamp);
        answerParked(grant, grantKey, credential, now, timestamp);
    }

    /**
     * A grant signed longer ago than the replay window could be a copy of one whose id is forgotten, and one dated
     * further ahead than the allowed clock skew would outlive its id: both are refused (docs/protocol.md section 11).
     */
    private void requireIssuedWithinTheWindow(Grant grant, long now) {
        if (grant.getIssuedAt() < now - access.config().replayWindowMs()) {
            throw new Rejection(RejectReason.STALE, "grant " + grant.getGrantId()
                    + " was issued before the replay window");
        }
        if (grant.getIssuedAt() > now + ConsumerRequests.MAX_CLOCK_SKEW_MS) {
            throw new Rejection(RejectReason.FUTURE_DATED, "grant " + grant.getGrantId() + " is dated "
                    + (grant.getIssuedAt() - now) + " ms ahead of the processors' clock, more than the "
                    + ConsumerRequests.MAX_CLOCK_SKEW_MS + " ms allowed");
        }
    }

    /**
     * The moment from which the grant's id is remembered for a replay window: until its own issue date has left the
     * window, and until it expires if that is later, so that no copy of it is taken while it could still take
     * effect.
     */
    private long rememberedFrom(Grant grant, long now) {
        return Math.max(Math.max(now, grant.getIssuedAt()), grant.getExpiresAt() - access.config().replayWindowMs());
    }

    /** One-click reuse: every parked request the new grant covers is answered now, the named one first. */
    private void answerParked(Grant grant, String grantKey, StoredCredential credential, long now, long timestamp) {
        List<KeyValue<String, PendingRequest>> candidates = new ArrayList<>(
                access.state().parkedFor(grant.getHolderId(), grant.getConsumerId()));
        candidates.sort((a, b) -> Boolean.compare(
                !a.value.getRequest().getRequestId().equals(grant.getRequestId()),
                !b.value.getRequest().getRequestId().equals(grant.getRequestId())));
        for (KeyValue<String, PendingRequest> entry : candidates) {
            AccessRequest request = entry.value.getRequest();
            boolean sameCredential = entry.value.getCredentialId().equals(grant.getCredentialId())
                    || (entry.value.getCredentialId().isEmpty()
                    && request.getCredentialType().equals(credential.getCredential().getType()));
            GrantState current = access.state().grant(grantKey);
            if (current == null || !sameCredential || !HolderState.covers(current, request.getConsumerId(),
                    grant.getCredentialId(), request.getPurpose(), request.getFields(), now)) {
                continue;
            }
            access.state().unpark(entry.key);
            boolean delivered = access.deliveries().deliver(request, credential, KeyValue.pair(grantKey, current),
                    now, timestamp);
            access.outbox().toHolder(HolderNoticeKind.REQUEST_ANSWERED, AccessSubject.ofRequest(request,
                    grant.getCredentialId()).withGrant(grant.getGrantId()), delivered ? "answered from grant "
                    + grant.getGrantId() : "answered without a delivery: the credential has expired or its issuer "
                    + "is not accredited", timestamp);
        }
    }

    void deny(String key, Denial denial, long timestamp) {
        String holderId = denial.getHolderId();
        requireSignedByHolder(key, holderId, holderKey -> DecisionRecords.verify(holderKey, denial));
        PendingRequest parked = access.state().unpark(holderId, denial.getRequestId());
        AccessSubject subject = AccessSubject.ofRequest(parked.getRequest(), parked.getCredentialId());
        access.outbox().toConsumer(NoticeKind.DENIED, subject, "the holder denied the request", denial, timestamp);
        access.outbox().audit(AuditOutcome.DENIED, subject, timestamp);
    }

    void revoke(String key, Revocation revocation, long timestamp) {
        String holderId = revocation.getHolderId();
        requireSignedByHolder(key, holderId, holderKey -> DecisionRecords.verify(holderKey, revocation));
        Grant revoked = access.state().removeGrant(holderId, revocation.getGrantId());
        access.endings().ended(revoked, NoticeKind.REVOKED, AuditOutcome.REVOKED, "the holder revoked the grant",
                revocation, timestamp);
    }

    void erase(String key, Erasure erasure, long timestamp) {
        String holderId = erasure.getHolderId();
        requireSignedByHolder(key, holderId, holderKey -> DecisionRecords.verify(holderKey, erasure));
        requireFound(access.state().credential(holderId, erasure.getCredentialId()),
                RejectReason.UNKNOWN_CREDENTIAL, "credential " + erasure.getCredentialId()
                        + " is not stored for holder '" + holderId + "'");
        access.outbox().vault(access.state().deleteCredential(holderId, erasure.getCredentialId(),
                access.now()), null, timestamp);
        access.endings().endEverythingOn(holderId, erasure.getCredentialId(), NoticeKind.ERASED, AuditOutcome.ERASED,
                "the holder erased the credential", erasure, timestamp);
        AccessSubject erased = AccessSubject.ofCredential(holderId, erasure.getCredentialId());
        access.outbox().toHolder(HolderNoticeKind.CREDENTIAL_ERASED, erased, "credential erased", timestamp);
        access.outbox().audit(AuditOutcome.ERASED, erased, timestamp);
    }

    /**
     * A denial, revocation or erasure is keyed by the holder it names and signed with that holder's registered key,
     * which {@code verify} checks it against.
     */
    private void requireSignedByHolder(String key, String holderId, Consumer<byte[]> verify) {
        requireKey(key, holderId, "holder id");
        byte[] holderKey = access.directory().signingKeyOf(holderId, DirectoryView.HOLDER,
                RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> verify.accept(holderKey));
    }
}
