package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;

/**
 * The end of grants and parked requests, however it comes (the holder's revocation or erasure, the issuer's
 * revocation, expiry): each affected consumer is told why, and each ended grant is audited with the outcome.
 */
final class GrantEndings {
    private final HolderState state;
    private final AccessOutbox outbox;

    GrantEndings(HolderState state, AccessOutbox outbox) {
        this.state = state;
        this.outbox = outbox;
    }

    /** Tells the consumer of a grant, already removed from the state, that it ended, and audits the end. */
    void ended(Grant grant, NoticeKind kind, AuditOutcome outcome, String reason, long timestamp) {
        outbox.toConsumer(kind, AccessSubject.ofGrant(grant).withoutRequest(), reason, timestamp);
        outbox.audit(outcome, AccessSubject.ofGrant(grant), timestamp);
    }

    /** Ends every grant on the credential and drops every request parked on it, telling each consumer. */
    void endEverythingOn(String holderId, String credentialId, NoticeKind kind, AuditOutcome outcome, String reason,
                         long timestamp) {
        for (Grant grant : state.removeGrantsOn(holderId, credentialId)) {
            ended(grant, kind, outcome, reason, timestamp);
        }
        for (PendingRequest dropped : state.unparkAllOn(holderId, credentialId)) {
            outbox.toConsumer(kind, AccessSubject.ofRequest(dropped.getRequest(), credentialId), reason, timestamp);
        }
    }
}
