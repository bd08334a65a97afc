package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.StoredCredential;

/**
 * A credential its issuer revoked, as the storage processor forwards it once the revocation verified: every grant
 * on it ends, every request parked on it is dropped, and the holder is told.
 */
final class IssuerRevocations {
    private final AccessContext access;

    IssuerRevocations(AccessContext access) {
        this.access = access;
    }

    void credentialChanged(StoredCredential changed, long timestamp) {
        if (changed.getStatus() != CredentialStatus.REVOKED) {
            return;
        }
        CredentialIssued issued = changed.getCredential();
        access.endings().endEverythingOn(issued.getHolderId(), issued.getCredentialId(), NoticeKind.CREDENTIAL_REVOKED,
                AuditOutcome.CREDENTIAL_REVOKED, "the issuer revoked the credential: "
                        + changed.getRevocationReason(), changed.getRevocation(), timestamp);
        access.outbox().toHolder(HolderNoticeKind.CREDENTIAL_REVOKED,
                AccessSubject.ofCredential(issued.getHolderId(), issued.getCredentialId()),
                "revoked by " + issued.getIssuerId() + ": " + changed.getRevocationReason(), timestamp);
    }
}
