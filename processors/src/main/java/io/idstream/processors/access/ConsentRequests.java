package io.idstream.processors.access;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.InboxEvent;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireFresh;
import static io.idstream.processors.Checks.requireKey;

/**
 * An issuer's request for a holder's consent to write credentials (docs/protocol.md section 6a), as the storage
 * processor reads it from the issuance topic: of the right shape, from a registered and accredited issuer, to a
 * registered holder, signed by the issuer, fresh, and not sent before to that holder. It then goes to the holder's
 * inbox exactly as the issuer signed it, for the holder's client to verify again and answer with a write grant.
 */
final class ConsentRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ConsentRequests.class);

    private final DirectoryView directory;
    private final UsedIds usedIds;
    private final ProcessorsConfig config;
    private final ProcessorContext<Object, Object> context;

    ConsentRequests(DirectoryView directory, UsedIds usedIds, ProcessorsConfig config,
                    ProcessorContext<Object, Object> context) {
        this.directory = directory;
        this.usedIds = usedIds;
        this.config = config;
        this.context = context;
    }

    void forward(String key, ConsentRequest request, long timestamp) {
        String holderId = request.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> WriteGrantRecords.checkShape(request));
        byte[] issuerKey = directory.signingKeyOf(request.getIssuerId(), DirectoryView.ISSUER,
                RejectReason.UNKNOWN_PRINCIPAL);
        if (!directory.isAccredited(request.getIssuerId())) {
            throw new Rejection(RejectReason.NOT_ACCREDITED, "issuer '" + request.getIssuerId()
                    + "' is not accredited");
        }
        directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> WriteGrantRecords.verify(issuerKey, request));
        long now = context.currentSystemTimeMs();
        requireFresh("consent request " + request.getConsentRequestId(), request.getCreatedAt(), now,
                config.replayWindowMs());
        usedIds.markUsed(holderId, "consent-request:" + request.getConsentRequestId(),
                Math.max(now, request.getCreatedAt()));
        context.forward(new Record<>(holderId, new InboxEvent(request), timestamp), Sinks.INBOX);
        LOG.info("Consent request forwarded holderId={} issuerId={} consentRequestId={} types={}", holderId,
                request.getIssuerId(), request.getConsentRequestId(), request.getCredentialTypes());
    }
}
