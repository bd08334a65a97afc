package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import org.apache.avro.specific.SpecificRecord;

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

    /**
     * Tells the consumer of a grant, already removed from the state, that it ended, and audits the end;
     * {@code statement} is the signed record that ended it, null for an expiry.
     */
    void ended(Grant grant, NoticeKind kind, AuditOutcome outcome, String reason, SpecificRecord statement,
               long timestamp) {
        outbox.toConsumer(kind, AccessSubject.ofGrant(grant).withoutRequest(), reason, statement, timestamp);
        outbox.audit(outcome, AccessSubject.ofGrant(grant), timestamp);
    }

    /**
     * Ends every grant on the credential and drops every request parked on it, telling each consumer, with the
     * signed record ({@code statement}: the holder's erasure, the issuer's revocation) that ended them.
     */
    void endEverythingOn(String holderId, String credentialId, NoticeKind kind, AuditOutcome outcome, String reason,
                         SpecificRecord statement, long timestamp) {
        for (Grant grant : state.removeGrantsOn(holderId, credentialId)) {
            ended(grant, kind, outcome, reason, statement, timestamp);
        }
        for (PendingRequest dropped : state.unparkAllOn(holderId, credentialId)) {
            outbox.toConsumer(kind, AccessSubject.ofRequest(dropped.getRequest(), credentialId), reason, statement,
                    timestamp);
        }
    }
}
