package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.processors.ProcessorsConfig;

/**
 * What time ends, on the access processor's wall-clock punctuation: grants past their expiry (consumer and holder
 * are told), requests the holder left unanswered past the pending time-to-live (both are told), and used ids older
 * than the replay window, which a stale record could no longer reuse.
 */
final class ExpiryPunctuator {
    private final HolderState state;
    private final AccessOutbox outbox;
    private final GrantEndings endings;
    private final ProcessorsConfig config;

    ExpiryPunctuator(HolderState state, AccessOutbox outbox, GrantEndings endings, ProcessorsConfig config) {
        this.state = state;
        this.outbox = outbox;
        this.endings = endings;
        this.config = config;
    }

    void expire(long now) {
        for (Grant grant : state.removeGrantsExpiredAt(now)) {
            endings.ended(grant, NoticeKind.EXPIRED, AuditOutcome.EXPIRED, "the grant expired", now);
            outbox.toHolder(HolderNoticeKind.GRANT_EXPIRED, AccessSubject.ofGrant(grant).withoutRequest(),
                    "the grant expired", now);
        }
        for (PendingRequest expired : state.unparkExpiredAt(now)) {
            AccessSubject subject = AccessSubject.ofRequest(expired.getRequest(), expired.getCredentialId());
            outbox.toConsumer(NoticeKind.EXPIRED, subject, "the holder did not answer in time", now);
            outbox.toHolder(HolderNoticeKind.REQUEST_EXPIRED, subject, "the request expired unanswered", now);
            outbox.audit(AuditOutcome.EXPIRED, subject, now);
        }
        state.forgetUsedBefore(now - config.replayWindowMs());
    }
}
