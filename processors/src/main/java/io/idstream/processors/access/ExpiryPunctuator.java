package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;

/**
 * What time ends, on the access processor's wall-clock punctuation: grants past their expiry (consumer and holder
 * are told), requests the holder left unanswered past the pending time-to-live (both are told), and used ids older
 * than the replay window, which a stale record could no longer reuse.
 */
final class ExpiryPunctuator {
    private final AccessContext access;

    ExpiryPunctuator(AccessContext access) {
        this.access = access;
    }

    void expire(long now) {
        for (Grant grant : access.state().removeGrantsExpiredAt(now)) {
            access.endings().ended(grant, NoticeKind.EXPIRED, AuditOutcome.EXPIRED, "the grant expired", null,
                    now);
            access.outbox().toHolder(HolderNoticeKind.GRANT_EXPIRED, AccessSubject.ofGrant(grant).withoutRequest(),
                    "the grant expired", now);
        }
        for (PendingRequest expired : access.state().unparkExpiredAt(now)) {
            AccessSubject subject = AccessSubject.ofRequest(expired.getRequest(), expired.getCredentialId());
            access.outbox().toConsumer(NoticeKind.EXPIRED, subject, "the holder did not answer in time", now);
            access.outbox().toHolder(HolderNoticeKind.REQUEST_EXPIRED, subject, "the request expired unanswered", now);
            access.outbox().audit(AuditOutcome.EXPIRED, subject, now);
        }
        access.state().forgetUsedBefore(now - access.config().replayWindowMs());
    }
}
