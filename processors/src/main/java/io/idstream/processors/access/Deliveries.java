package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers a request from a grant that covers it: delivers the requested fields the grant names, spends one of the
 * grant's uses (telling the holder when that was the last), and audits the delivery. Both a consumer's request that
 * finds a grant and a holder's new grant that finds parked requests end here, so this is where the credential is
 * checked as it is delivered (docs/protocol.md section 11): a credential past its expiry, or whose issuer is not
 * accredited now (its accreditation withdrawn), is not delivered; the consumer hears why, and the grant keeps its use.
 */
final class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final HolderState state;
    private final AccessOutbox outbox;
    private final DirectoryView directory;

    Deliveries(HolderState state, AccessOutbox outbox, DirectoryView directory) {
        this.state = state;
        this.outbox = outbox;
        this.directory = directory;
    }

    /** Delivers, or tells the consumer why the credential cannot be delivered; returns whether it delivered. */
    boolean deliver(AccessRequest request, StoredCredential credential, KeyValue<String, GrantState> grantEntry,
                    long now, long timestamp) {
        CredentialIssued issued = credential.getCredential();
        AccessSubject refused = AccessSubject.ofRequest(request, issued.getCredentialId());
        long expiresAt = issued.getExpiresAt();
        if (expiresAt != 0 && now >= expiresAt) {
            outbox.toConsumer(NoticeKind.EXPIRED, refused, "the credential expired", timestamp);
            outbox.audit(AuditOutcome.EXPIRED, refused, timestamp);
            return false;
        }
        if (!directory.isAccredited(issued.getIssuerId())) {
            outbox.toConsumer(NoticeKind.ISSUER_NOT_ACCREDITED, refused, "the credential's issuer '"
                    + issued.getIssuerId() + "' is not accredited", timestamp);
            outbox.audit(AuditOutcome.ISSUER_NOT_ACCREDITED, refused, timestamp);
            return false;
        }
        Grant grant = grantEntry.value.getGrant();
        Set<String> granted = new HashSet<>(grant.getFields());
        List<String> disclosedNames = request.getFields().stream().filter(granted::contains).toList();
        outbox.deliver(DeliveryRecords.assemble(request.getRequestId(), request.getConsumerId(), issued, grant,
                disclosedNames, now), timestamp);
        if (state.spendUse(grantEntry)) {
            outbox.toHolder(HolderNoticeKind.GRANT_EXHAUSTED, AccessSubject.ofGrant(grant).withoutRequest(),
                    "the grant's " + grant.getMaxUses() + " uses are spent", timestamp);
        }
        outbox.audit(AuditOutcome.DELIVERED, AccessSubject.ofRequest(request, issued.getCredentialId())
                .withGrant(grant.getGrantId()).withFields(disclosedNames), timestamp);
        LOG.info("Delivered holderId={} consumerId={} requestId={} grantId={} fields={}", issued.getHolderId(),
                request.getConsumerId(), request.getRequestId(), grant.getGrantId(), disclosedNames);
        return true;
    }
}
