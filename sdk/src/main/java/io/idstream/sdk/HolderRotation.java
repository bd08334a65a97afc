package io.idstream.sdk;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RekeyRecords;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A holder's key rotation over the gateway (docs/protocol.md sections 7 and 6b), made so that it can be cut short at
 * any step and run again: the new keys are written to {@code <keys dir>/<id>/next/} first; the registration of the
 * new keys, signed by the old signing key, is sent unless the directory binds them already; every stored credential
 * whose key does not open with the new encryption key yet is re-sealed to it (opened with the old key, signed with the
 * new one); once the vault shows every credential re-keyed, a backup of the new keys replaces the platform's (when a
 * passphrase is given) and the new keys move into place. Which step a run resumes at is read from the directory and
 * the vault, not remembered.
 */
final class HolderRotation {
    private final Identity old;
    private final Path keysDir;
    private final HolderSource source;
    private final Duration timeout;
    private final char[] backupPassphrase;

    /**
     * @param backupPassphrase when not null, a backup of the new keys under it replaces the one the platform keeps,
     *                         before the new keys move into place, so that the backup anyone can fetch no longer
     *                         holds the replaced keys (docs/protocol.md section 17)
     */
    HolderRotation(Identity old, Path keysDir, HolderSource source, Duration timeout, char[] backupPassphrase) {
        this.old = old;
        this.keysDir = keysDir;
        this.source = source;
        this.timeout = timeout;
        this.backupPassphrase = backupPassphrase;
    }

    /** Rotates; {@code next} is the identity of the new keys once the source signs with them. */
    Rotation run(Consumer<Identity> next) {
        if (backupPassphrase != null) {
            // Before anything changes: a passphrase refused at the end would leave the old keys' backup in place.
            HolderBackups.requireUsablePassphrase(old.id(), backupPassphrase);
        }
        Identity rotated = Identity.loadNext(keysDir, old.id()).orElseGet(this::newKeys);
        VerifiedPrincipal entry = entry(rotated).orElseThrow(() -> new IdstreamException("'" + old.id()
                + "' is not in the directory, so it has no keys to rotate"));
        int grantsEnded = 0;
        if (!PrincipalClient.binds(entry, rotated)) {
            if (!PrincipalClient.binds(entry, old)) {
                throw new IdstreamException("the directory binds other keys to '" + old.id() + "' than those in "
                        + keysDir.resolve(old.id()) + " and its next/ directory: rotate from the keys it binds");
            }
            // Every grant the old key signed ends with the rotation.
            grantsEnded = source.grants(List::of).size();
            register(entry, rotated);
        }
        source.useKeys(rotated);
        next.accept(rotated);
        int rekeyed = rekey(rotated);
        GatewayHolderSource.poll(() -> source.credentials().values().stream()
                .allMatch(stored -> opensWith(stored.getCredential(), rotated.encryption())), timeout,
                "re-keying the credentials of '" + old.id() + "': the vault does not show them all re-keyed");
        if (backupPassphrase != null) {
            source.storeBackup(HolderBackups.seal(rotated, backupPassphrase));
        }
        Identity.promoteNext(keysDir, old.id());
        return new Rotation(rekeyed, grantsEnded);
    }

    private Identity newKeys() {
        Identity fresh = new Identity(old.id(), old.role(), SigningKeyPair.generate(), EncryptionKeyPair.generate());
        fresh.saveNext(keysDir);
        return fresh;
    }

    /**
     * The holder's entry, asked with the keys the gateway takes: the old ones until the directory binds the new ones
     * (a request signed with a key not bound is refused as {@code bad-signature}), the new ones after.
     */
    private Optional<VerifiedPrincipal> entry(Identity rotated) {
        try {
            return source.principal(old.id());
        } catch (GatewayRefusal refusal) {
            if (!refusal.code().equals(SignatureRefused.BAD_SIGNATURE)) {
                throw refusal;
            }
            source.useKeys(rotated);
            return source.principal(old.id());
        }
    }

    /** Registers the new keys, signed by the old signing key, later than the entry, and waits until bound. */
    private void register(VerifiedPrincipal entry, Identity rotated) {
        Principal inForce = entry.getPrincipal();
        PrincipalStatement statement = new PrincipalStatement(old.id(), old.role(), rotated.signing().publicKey(),
                rotated.encryption().publicKey(), inForce.getDisplayName(),
                Math.max(System.currentTimeMillis(), inForce.getRegisteredAt() + 1));
        source.sendRegistration(PrincipalRecords.registration(old.signing(), statement));
        GatewayHolderSource.poll(() -> entry(rotated).filter(now -> PrincipalClient.binds(now, rotated)).isPresent(), timeout,
                "the rotation of '" + old.id() + "': the directory does not bind the new keys");
    }

    /** Re-seals, to the new encryption key, each credential key that does not open with it yet; returns how many. */
    private int rekey(Identity rotated) {
        int rekeyed = 0;
        for (Map.Entry<String, StoredCredential> stored : source.credentials().entrySet()) {
            CredentialIssued credential = stored.getValue().getCredential();
            if (opensWith(credential, rotated.encryption())) {
                continue;
            }
            Credentials.IssuedCredential issued = CredentialRecords.fromAvro(credential);
            byte[] credentialKey;
            try {
                credentialKey = Credentials.unwrapCredentialKey(old.encryption(), issued.header(),
                        issued.holderKey());
            } catch (CryptoException e) {
                throw new IdstreamException("credential " + stored.getKey() + " opens with neither the old nor the "
                        + "new encryption key of '" + old.id() + "': " + e.getMessage(), e);
            }
            try {
                long rekeyedAt = Math.max(System.currentTimeMillis(), stored.getValue().getRekeyedAt() + 1);
                source.decide(new DecisionEvent(RekeyRecords.rekey(rotated.signing(), stored.getKey(), old.id(),
                        rotated.encryption().publicKey(), credentialKey, rekeyedAt)));
            } finally {
                Arrays.fill(credentialKey, (byte) 0);
            }
            rekeyed++;
        }
        return rekeyed;
    }

    private static boolean opensWith(CredentialIssued credential, EncryptionKeyPair key) {
        Credentials.IssuedCredential issued = CredentialRecords.fromAvro(credential);
        try {
            Arrays.fill(Credentials.unwrapCredentialKey(key, issued.header(), issued.holderKey()), (byte) 0);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }
}
