package io.idstream.processors.access;

import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.directory.DirectoryView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireFresh;
import static io.idstream.processors.Checks.requireKey;

/**
 * A holder's consent that an issuer write credentials of some types to its vault, and its end (docs/protocol.md
 * section 6a). A write grant must be of the right shape and end after it begins, name a registered holder who signed
 * it and a registered issuer, be fresh and use an id the holder has not used; it is then kept until it expires or the
 * holder revokes it, and the issuer hears of both on its notice topic.
 */
final class WriteGrantDecisions {
    private static final Logger LOG = LoggerFactory.getLogger(WriteGrantDecisions.class);

    private final AccessContext access;

    WriteGrantDecisions(AccessContext access) {
        this.access = access;
    }

    void writeGrant(String key, WriteGrant writeGrant, long timestamp) {
        String holderId = writeGrant.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> WriteGrantRecords.checkShape(writeGrant));
        byte[] holderKey = access.directory().signingKeyOf(holderId, DirectoryView.HOLDER,
                RejectReason.UNKNOWN_HOLDER);
        access.directory().require(writeGrant.getIssuerId(), DirectoryView.ISSUER, RejectReason.UNKNOWN_PRINCIPAL);
        checkSignature(() -> WriteGrantRecords.verify(holderKey, writeGrant));
        long now = access.now();
        requireFresh("write grant " + writeGrant.getWriteGrantId(), writeGrant.getIssuedAt(), now,
                access.config().replayWindowMs());
        // Remembered until it would have expired, as a grant's id is: a window lengthened after its id was
        // forgotten would otherwise take a revoked write grant, or a new one under its id, again.
        access.state().markUsed(holderId, "write-grant:" + writeGrant.getWriteGrantId(), Math.max(
                Math.max(now, writeGrant.getIssuedAt()), writeGrant.getExpiresAt() - access.config().replayWindowMs()));
        access.state().writeGrants().add(writeGrant);
        access.issuerNotices().writeGranted(writeGrant, timestamp);
        LOG.info("Write grant accepted holderId={} issuerId={} writeGrantId={} types={} expiresAt={}", holderId,
                writeGrant.getIssuerId(), writeGrant.getWriteGrantId(), writeGrant.getCredentialTypes(),
                writeGrant.getExpiresAt());
    }

    void revoke(String key, WriteGrantRevocation revocation, long timestamp) {
        String holderId = revocation.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> WriteGrantRecords.checkShape(revocation));
        byte[] holderKey = access.directory().signingKeyOf(holderId, DirectoryView.HOLDER,
                RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> WriteGrantRecords.verify(holderKey, revocation));
        WriteGrant ended = access.state().writeGrants().remove(holderId, revocation.getWriteGrantId(), access.now());
        access.issuerNotices().writeGrantEnded(ended, "the holder revoked the write grant", timestamp);
        LOG.info("Write grant revoked holderId={} issuerId={} writeGrantId={}", holderId, ended.getIssuerId(),
                ended.getWriteGrantId());
    }
}
