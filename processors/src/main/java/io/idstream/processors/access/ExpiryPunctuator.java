package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.WriteGrant;

/**
 * What time ends, on the access processor's wall-clock punctuation: grants past their expiry (consumer and holder
 * are told), requests the holder left unanswered past the pending time-to-live (both are told), write grants past
 * their expiry (the issuer is told), and used ids older
 * than the replay window, which a stale record could no longer reuse. It reads only what is due, from the
 * {@link ExpiryIndex}, and ends at most {@code idstream.punctuate.max.expiries} of each per run, earliest first, so
 * that neither what is stored nor a burst of expiries holds the stream thread for long; the rest wait for the next.
 */
final class ExpiryPunctuator {
    private final AccessContext access;

    ExpiryPunctuator(AccessContext access) {
        this.access = access;
    }

    void expire(long now) {
        int limit = access.config().punctuateMaxExpiries();
        for (Grant grant : access.state().removeGrantsExpiredAt(now, limit)) {
            access.endings().ended(grant, NoticeKind.EXPIRED, AuditOutcome.EXPIRED, "the grant expired", null,
                    now);
            access.outbox().toHolder(HolderNoticeKind.GRANT_EXPIRED, AccessSubject.ofGrant(grant).withoutRequest(),
                    "the grant expired", now);
        }
        for (PendingRequest expired : access.state().unparkExpiredAt(now, limit)) {
            AccessSubject subject = AccessSubject.ofRequest(expired.getRequest(), expired.getCredentialId());
            access.outbox().toConsumer(NoticeKind.EXPIRED, subject, "the holder did not answer in time", now);
            access.outbox().toHolder(HolderNoticeKind.REQUEST_EXPIRED, subject, "the request expired unanswered", now);
            access.outbox().audit(AuditOutcome.EXPIRED, subject, now);
        }
        for (WriteGrant ended : access.state().writeGrants().removeExpiredAt(now, limit)) {
            access.issuerNotices().writeGrantEnded(ended, "the write grant expired", now);
        }
        access.state().forgetUsedBefore(now - access.config().replayWindowMs(), limit);
    }
}
