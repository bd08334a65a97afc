package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.RekeyRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.directory.DirectoryView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireFound;
import static io.idstream.processors.Checks.requireFresh;
import static io.idstream.processors.Checks.requireKey;

/**
 * A holder's re-seal of a stored credential's key to its new encryption key after a key rotation (docs/protocol.md
 * section 6b). It must be signed with the signing key now bound to the holder, for a credential of the holder's
 * vault, sealed to the encryption key now bound, fresh and newer than the credential's last re-seal. Only the sealed
 * key is replaced: the field ciphertexts and the issuer's signature are as issued. Every grant of the holder that
 * its old key signed ends then and there, its consumer told KEY_CHANGED, and so does every write grant of the holder
 * that its old key signed, its issuer told WRITE_GRANT_ENDED.
 */
final class CredentialRekeys {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialRekeys.class);

    private final AccessContext access;

    CredentialRekeys(AccessContext access) {
        this.access = access;
    }

    void rekey(String key, CredentialRekeyed rekey, long timestamp) {
        String holderId = rekey.getHolderId();
        requireKey(key, holderId, "holder id");
        checkShape(() -> RekeyRecords.checkShape(rekey));
        Principal holder = access.directory().require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        byte[] holderKey = access.directory().signingKey(holder);
        checkSignature(() -> RekeyRecords.verify(holderKey, rekey));
        StoredCredential stored = requireFound(access.state().credential(holderId, rekey.getCredentialId()),
                RejectReason.UNKNOWN_CREDENTIAL, "credential " + rekey.getCredentialId() + " of holder '" + holderId
                        + "' is not stored");
        if (!ByteBuffer.wrap(access.directory().encryptionKey(holder)).equals(rekey.getEncryptionKey())) {
            throw new Rejection(RejectReason.STALE, "credential " + rekey.getCredentialId()
                    + " is sealed to a key the holder no longer uses");
        }
        long now = access.now();
        requireFresh("re-key of credential " + rekey.getCredentialId(), rekey.getRekeyedAt(), now,
                access.config().replayWindowMs());
        if (rekey.getRekeyedAt() <= stored.getRekeyedAt()) {
            throw new Rejection(RejectReason.REPLAY, "credential " + rekey.getCredentialId()
                    + " was re-keyed at or after this re-key's time");
        }
        CredentialIssued resealed = CredentialIssued.newBuilder(stored.getCredential())
                .setHolderKeyEnc(rekey.getHolderKeyEnc()).setHolderKeyCiphertext(rekey.getHolderKeyCiphertext())
                .build();
        StoredCredential changed = StoredCredential.newBuilder(stored).setCredential(resealed)
                .setRekeyedAt(rekey.getRekeyedAt()).build();
        access.outbox().vault(access.state().replaceCredential(changed), changed, timestamp);
        access.outbox().toHolder(HolderNoticeKind.CREDENTIAL_REKEYED, AccessSubject.ofCredential(holderId,
                rekey.getCredentialId()), "credential key sealed to your new encryption key", timestamp);
        int ended = access.endings().endKeyChangedGrantsOf(holderId, timestamp);
        int writeGrantsEnded = endWriteGrantsNotSignedBy(holderKey, holderId, timestamp);
        LOG.info("Credential re-keyed holderId={} credentialId={} grantsEnded={} writeGrantsEnded={}", holderId,
                rekey.getCredentialId(), ended, writeGrantsEnded);
    }

    /** Ends the holder's write grants that the signing key bound now did not sign, telling each issuer. */
    private int endWriteGrantsNotSignedBy(byte[] holderKey, String holderId, long timestamp) {
        List<WriteGrant> ended = access.state().writeGrants().removeNotSignedBy(holderId, holderKey);
        ended.forEach(writeGrant -> access.issuerNotices().writeGrantEnded(writeGrant, "the holder's key changed",
                timestamp));
        return ended.size();
    }
}
