package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.GrantState;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Identifiers;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.streams.KeyValue;

import java.time.Duration;
import java.util.Optional;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireFound;
import static io.idstream.processors.Checks.requireKey;

/**
 * A consumer's request (docs/protocol.md section 5): checked (shape, the consumer's signature, freshness, no replay, a
 * delivery topic to answer on), resolved to the holder's credential, then answered at once from an active grant
 * that covers it, or parked in the holder's inbox with a pending notice to the consumer, unless that consumer
 * already has as many requests waiting for that holder as {@code idstream.limits.max.pending.per.consumer} allows.
 */
final class ConsumerRequests {
    /**
     * How far ahead of the processors' clock a request may be dated. A request dated further ahead would stay fresh
     * after its id is forgotten at the end of the replay window, and could then be replayed.
     */
    static final long MAX_CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();

    private final AccessContext access;

    ConsumerRequests(AccessContext access) {
        this.access = access;
    }

    void request(String key, AccessRequest request, long timestamp) {
        String holderId = request.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> {
            Identifiers.requireUuid("request id", request.getRequestId());
            Identifiers.requirePrincipalId("consumer id", request.getConsumerId());
            if (!request.getCredentialId().isEmpty()) {
                Identifiers.requireUuid("credential id", request.getCredentialId());
            }
            request.getFields().forEach(Identifiers::requireFieldName);
        });
        if (request.getFields().isEmpty() || !Encoding.isStrictlySorted(request.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "requested fields are empty, unsorted or repeated");
        }
        byte[] consumerKey = access.directory().signingKeyOf(request.getConsumerId(), DirectoryView.CONSUMER,
                RejectReason.UNKNOWN_PRINCIPAL);
        access.directory().require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> RequestRecords.verify(consumerKey, request));
        long now = access.now();
        if (request.getCreatedAt() < now - access.config().replayWindowMs()) {
            throw new Rejection(RejectReason.STALE, "request " + request.getRequestId()
                    + " was created before the replay window");
        }
        if (request.getCreatedAt() > now + MAX_CLOCK_SKEW_MS) {
            throw new Rejection(RejectReason.FUTURE_DATED, "request " + request.getRequestId() + " is dated "
                    + (request.getCreatedAt() - now) + " ms ahead of the processors' clock, more than the "
                    + MAX_CLOCK_SKEW_MS + " ms allowed");
        }
        // Remembered until the request's own date leaves the window: one dated ahead stays fresh that much longer.
        access.state().markUsed(holderId, "request:" + request.getRequestId(),
                Math.max(now, request.getCreatedAt()));
        if (!access.deliveryTopics().exists(request.getConsumerId())) {
            // The consumer is registered, so its topic should be there: its creation failed, or was lost in a crash.
            access.deliveryTopics().ensure(request.getConsumerId());
            throw new Rejection(RejectReason.NO_DELIVERY_TOPIC, "delivery topic of consumer '"
                    + request.getConsumerId() + "' does not exist; it is being created");
        }

        StoredCredential credential = resolve(request, now);
        if (credential != null && credential.getStatus() == CredentialStatus.REVOKED) {
            access.outbox().toConsumer(NoticeKind.CREDENTIAL_REVOKED, AccessSubject.ofRequest(request,
                    request.getCredentialId()), "the credential was revoked by its issuer", credential.getRevocation(),
                    timestamp);
            return;
        }
        if (credential != null) {
            Optional<KeyValue<String, GrantState>> covering = coveringGrantOfUnchangedKeys(request, credential, now,
                    timestamp);
            if (covering.isPresent()) {
                access.deliveries().deliver(request, credential, covering.get(), now, timestamp);
                return;
            }
        }
        park(request, credential, now, timestamp);
    }

    /**
     * A grant that covers the request, once every covering grant whose holder's or consumer's key changed since it
     * was given has ended (docs/protocol.md section 11): the request is then answered as if those did not exist.
     */
    private Optional<KeyValue<String, GrantState>> coveringGrantOfUnchangedKeys(AccessRequest request,
                                                                               StoredCredential credential, long now,
                                                                               long timestamp) {
        while (true) {
            Optional<KeyValue<String, GrantState>> covering = access.state().coveringGrant(request.getHolderId(),
                    request.getConsumerId(), credential.getCredential().getCredentialId(), request.getPurpose(),
                    request.getFields(), now);
            if (covering.isEmpty() || !access.endings().keysChanged(covering.get().value)) {
                return covering;
            }
            access.endings().keyChanged(covering.get(), timestamp);
        }
    }

    /** The credential a request names, or the newest active one of its type from an accredited issuer. */
    private StoredCredential resolve(AccessRequest request, long now) {
        String holderId = request.getHolderId();
        if (request.getCredentialId().isEmpty()) {
            return access.state().newestUsable(holderId, request.getCredentialType(), now,
                    access.directory()::isAccredited);
        }
        return requireFound(access.state().credential(holderId, request.getCredentialId()),
                RejectReason.UNKNOWN_CREDENTIAL, "credential " + request.getCredentialId() + " of holder '" + holderId
                        + "' is not stored");
    }

    private void park(AccessRequest request, StoredCredential credential, long now, long timestamp) {
        int limit = access.config().maxPendingPerConsumer();
        if (access.state().hasParkedAtLeast(request.getHolderId(), request.getConsumerId(), limit)) {
            throw new Rejection(RejectReason.TOO_MANY_PENDING, "consumer '" + request.getConsumerId() + "' already "
                    + "has " + limit + " requests waiting for holder '" + request.getHolderId() + "', the limit");
        }
        VerifiedPrincipal consumer = access.directory().find(request.getConsumerId()).orElseThrow();
        CredentialIssued issued = credential == null ? null : credential.getCredential();
        PendingRequest parked = PendingRequest.newBuilder()
                .setRequest(request)
                .setConsumerDisplayName(consumer.getPrincipal().getDisplayName())
                .setConsumerAccredited(consumer.getAccreditation() != null)
                .setCredentialId(issued == null ? "" : issued.getCredentialId())
                .setCredentialType(issued == null ? request.getCredentialType() : issued.getType())
                .setIssuerId(issued == null ? "" : issued.getIssuerId())
                .setReceivedAt(now)
                .setExpiresAt(now + access.config().pendingTtlMs())
                .build();
        access.state().park(parked);
        access.outbox().toHolder(parked, timestamp);
        AccessSubject subject = AccessSubject.ofRequest(request, parked.getCredentialId());
        access.outbox().toConsumer(NoticeKind.PENDING, subject, "waiting for the holder's decision", timestamp);
        access.outbox().audit(AuditOutcome.PENDING, subject, timestamp);
    }
}
