package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.mapping.DeliveryRecords;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers a request from a grant that covers it: delivers the requested fields the grant names, spends one of the
 * grant's uses (telling the holder when that was the last), and audits the delivery. Both a consumer's request that
 * finds a grant and a holder's new grant that finds parked requests end here.
 */
final class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final HolderState state;
    private final AccessOutbox outbox;

    Deliveries(HolderState state, AccessOutbox outbox) {
        this.state = state;
        this.outbox = outbox;
    }

    void deliver(AccessRequest request, StoredCredential credential, KeyValue<String, GrantState> grantEntry,
                 long now, long timestamp) {
        Grant grant = grantEntry.value.getGrant();
        Set<String> granted = new HashSet<>(grant.getFields());
        List<String> disclosedNames = request.getFields().stream().filter(granted::contains).toList();
        CredentialIssued issued = credential.getCredential();
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
    }
}
