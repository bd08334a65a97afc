package io.idstream.processors.access;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Encoding;
import io.idstream.processors.Sinks;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.function.Consumer;

/**
 * Everything the holder-scoped processors write besides rejections, in one place: deliveries and notices to
 * consumers, pending requests and notices to holders' inboxes, the audit trail, and the vault's changes. Every
 * record is keyed by the holder it belongs to (a vault change by its holder-scoped key) and carries the wall-clock time
 * it was made at, in its value and as its timestamp (the one {@code GuardedProcessor} gave the input).
 */
final class AccessOutbox {
    private final ProcessorContext<Object, Object> context;
    private final Consumer<AuditOutcome> audited;

    /** @param audited told of every audit entry's outcome, for the per-outcome metric */
    AccessOutbox(ProcessorContext<Object, Object> context, Consumer<AuditOutcome> audited) {
        this.context = context;
        this.audited = audited;
    }

    void deliver(CredentialDelivery delivery, long timestamp) {
        context.forward(new Record<>(delivery.getHolderId(), new DeliveryEvent(delivery), timestamp), Sinks.DELIVERIES);
    }

    /** A notice the processors' word stands for (PENDING, EXPIRED, ISSUER_NOT_ACCREDITED): it carries no statement. */
    void toConsumer(NoticeKind kind, AccessSubject subject, String reason, long timestamp) {
        toConsumer(kind, subject, reason, null, timestamp);
    }

    /**
     * A notice that ends access, with {@code statement}, the holder's or issuer's signed record that caused it, for
     * the consumer to verify (docs/protocol.md section 8); null only where the record was never kept.
     */
    void toConsumer(NoticeKind kind, AccessSubject subject, String reason, SpecificRecord statement, long timestamp) {
        ConsumerNotice notice = new ConsumerNotice(kind, subject.consumerId(), subject.holderId(),
                subject.requestId(), subject.grantId(), subject.credentialId(), reason, context.currentSystemTimeMs(),
                statement);
        context.forward(new Record<>(subject.holderId(), new DeliveryEvent(notice), timestamp), Sinks.DELIVERIES);
    }

    void toHolder(HolderNoticeKind kind, AccessSubject subject, String reason, long timestamp) {
        HolderNotice notice = new HolderNotice(kind, subject.holderId(), subject.consumerId(), subject.requestId(),
                subject.grantId(), subject.credentialId(), reason, context.currentSystemTimeMs());
        context.forward(new Record<>(subject.holderId(), new InboxEvent(notice), timestamp), Sinks.INBOX);
    }

    /** A request parked in the holder's inbox, for the holder to decide on. */
    void toHolder(PendingRequest parked, long timestamp) {
        context.forward(new Record<>(parked.getRequest().getHolderId(), new InboxEvent(parked), timestamp),
                Sinks.INBOX);
    }

    void audit(AuditOutcome outcome, AccessSubject subject, long timestamp) {
        AccessAudit audit = new AccessAudit(subject.holderId(), subject.consumerId(), subject.credentialId(),
                subject.requestId(), subject.grantId(), Encoding.sorted(subject.fields()), subject.purpose(), outcome,
                context.currentSystemTimeMs());
        context.forward(new Record<>(subject.holderId(), audit, timestamp), Sinks.AUDIT);
        audited.accept(outcome);
    }

    /** A credential's new state in the vault topic; null when the holder erased it. */
    void vault(String credentialKey, StoredCredential stored, long timestamp) {
        context.forward(new Record<>(credentialKey, stored, timestamp), Sinks.STORED);
    }
}
