package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.WriteGrant;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What the processors tell an issuer on its own notice topic (docs/protocol.md section 12): its credential stored or
 * refused for want of a write grant, a holder's write grant given or ended. Each notice is keyed by the holder it is
 * about. An issuer whose topic does not exist (registered before issuers had one, or its creation failed) is not
 * told: the notice is logged and skipped, and the topic's creation is sent again, so that a missing topic never
 * holds up the holder's records. Only what is known to come from the issuer, or from a holder naming it, is told.
 */
final class IssuerNotices {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerNotices.class);

    private final ProcessorContext<Object, Object> context;
    private final PrincipalTopics topics;

    IssuerNotices(ProcessorContext<Object, Object> context, PrincipalTopics topics) {
        this.context = context;
        this.topics = topics;
    }

    void credentialStored(CredentialIssued credential, long timestamp) {
        tell(notice(IssuerNoticeKind.CREDENTIAL_STORED, credential.getIssuerId(), credential.getHolderId())
                .setCredentialId(credential.getCredentialId())
                .setDetail("credential of type " + credential.getType() + " stored"), timestamp);
    }

    /** A credential whose issuer signature verified, refused for {@code refusal}. */
    void credentialRefused(CredentialIssued credential, Rejection refusal, long timestamp) {
        tell(notice(IssuerNoticeKind.CREDENTIAL_REFUSED, credential.getIssuerId(), credential.getHolderId())
                .setCredentialId(credential.getCredentialId())
                .setReason(refusal.reason().code())
                .setDetail(refusal.getMessage()), timestamp);
    }

    void writeGranted(WriteGrant writeGrant, long timestamp) {
        tell(ofWriteGrant(IssuerNoticeKind.WRITE_GRANTED, writeGrant)
                .setDetail("the holder allows you to write " + writeGrant.getCredentialTypes()), timestamp);
    }

    void writeGrantEnded(WriteGrant writeGrant, String why, long timestamp) {
        tell(ofWriteGrant(IssuerNoticeKind.WRITE_GRANT_ENDED, writeGrant).setDetail(why), timestamp);
    }

    private IssuerNotice.Builder ofWriteGrant(IssuerNoticeKind kind, WriteGrant writeGrant) {
        return notice(kind, writeGrant.getIssuerId(), writeGrant.getHolderId())
                .setWriteGrantId(writeGrant.getWriteGrantId())
                .setConsentRequestId(writeGrant.getConsentRequestId())
                .setCredentialTypes(writeGrant.getCredentialTypes())
                .setExpiresAt(writeGrant.getExpiresAt());
    }

    private IssuerNotice.Builder notice(IssuerNoticeKind kind, String issuerId, String holderId) {
        return IssuerNotice.newBuilder().setKind(kind).setIssuerId(issuerId).setHolderId(holderId)
                .setCredentialId("").setWriteGrantId("").setConsentRequestId("").setCredentialTypes(List.of())
                .setReason("").setExpiresAt(0L).setAt(context.currentSystemTimeMs());
    }

    private void tell(IssuerNotice.Builder notice, long timestamp) {
        String issuerId = notice.getIssuerId();
        if (!topics.exists(issuerId)) {
            topics.ensure(issuerId);
            LOG.warn("Issuer notice not written: the issuer's notice topic does not exist; creating it issuerId={} "
                    + "kind={} holderId={}", issuerId, notice.getKind(), notice.getHolderId());
            return;
        }
        context.forward(new Record<>(notice.getHolderId(), notice.build(), timestamp), Sinks.ISSUER_NOTICES);
    }
}
