package io.idstream.sdk;

import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.KeyBackup;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.mapping.PrincipalRecords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A principal's private keys sealed under a passphrase (docs/protocol.md section 17), kept on the platform or in a
 * file, and restored from there into an empty keys directory. The platform never sees the passphrase; whoever fetches
 * a backup can only guess it offline, at Argon2id's cost, hence the 12-character minimum. A restored backup must
 * hold the keys the directory binds to the id now: one made before a key rotation is refused.
 */
final class HolderBackups {
    private static final int MAX_FILE_CHARACTERS = 8 * 1024;

    private HolderBackups() {
    }

    /** Refuses, before anything is sealed, a passphrase {@link KeyBackup#seal} would refuse. */
    static void requireUsablePassphrase(String id, char[] passphrase) {
        if (Character.codePointCount(passphrase, 0, passphrase.length) < KeyBackup.MIN_PASSPHRASE_CHARACTERS) {
            throw new IdstreamException("no backup of '" + id + "': a backup passphrase has at least "
                    + KeyBackup.MIN_PASSPHRASE_CHARACTERS + " characters: whoever fetches the backup can guess it "
                    + "offline");
        }
    }

    static byte[] seal(Identity identity, char[] passphrase) {
        try {
            return KeyBackup.seal(identity.id(), identity.role(), identity.signing(), identity.encryption(),
                    passphrase, System.currentTimeMillis());
        } catch (CryptoException e) {
            throw new IdstreamException("no backup of '" + identity.id() + "': " + e.getMessage(), e);
        }
    }

    /** Writes the sealed keys to {@code file}, armoured, mode 600; refuses a file that exists. */
    static void toFile(Identity identity, char[] passphrase, Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IdstreamException(file + " exists: a backup does not replace a file");
        }
        String armoured = KeyBackup.armor(seal(identity, passphrase));
        try {
            PrivateKeyFile.write(file, armoured);
        } catch (IOException e) {
            throw new IdstreamException("cannot write the backup of '" + identity.id() + "' to " + file + ": "
                    + e.getMessage(), e);
        }
    }

    static Identity recover(Path keysDir, String id, char[] passphrase, GatewayConnection connection) {
        refuseExistingKeys(keysDir, id);
        byte[] backup = connection.fetchBackup(id).orElseThrow(() -> new IdstreamException("the platform keeps no "
                + "backup of '" + id + "'")).backup();
        return restore(keysDir, id, backup, passphrase, connection);
    }

    static Identity recoverFromFile(Path keysDir, String id, char[] passphrase, Path file,
                                    GatewayConnection connection) {
        refuseExistingKeys(keysDir, id);
        String armoured;
        try {
            // As a private key is read: a regular file of this user's, mode 600, not a link (nor a pipe that would
            // keep the read waiting), so that a backup someone planted or could replace is refused.
            armoured = PrivateKeyFile.readSecret(file, "key backup");
        } catch (IOException | CryptoException e) {
            throw new IdstreamException("cannot read the backup in " + file + ": " + e.getMessage(), e);
        }
        if (armoured.length() > MAX_FILE_CHARACTERS) {
            throw new IdstreamException(file + " is larger than a backup");
        }
        byte[] backup;
        try {
            backup = KeyBackup.unarmor(armoured);
        } catch (CryptoException e) {
            throw new IdstreamException(file + " is not a backup: " + e.getMessage(), e);
        }
        return restore(keysDir, id, backup, passphrase, connection);
    }

    private static void refuseExistingKeys(Path keysDir, String id) {
        if (Files.exists(keysDir.resolve(id).resolve("signing.pem"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IdstreamException("keys for '" + id + "' already exist in " + keysDir.resolve(id)
                    + ": recovery restores keys only where there are none");
        }
    }

    /** Opens the backup, checks the directory binds its keys to {@code id} now, and writes them as keys are. */
    private static Identity restore(Path keysDir, String id, byte[] backup, char[] passphrase,
                                    GatewayConnection connection) {
        KeyBackup.Opened opened;
        try {
            opened = KeyBackup.open(backup, passphrase);
        } catch (CryptoException e) {
            throw new IdstreamException("the backup of '" + id + "' does not open: " + e.getMessage(), e);
        }
        if (!opened.header().principalId().equals(id)) {
            throw new IdstreamException("the backup holds the keys of '" + opened.header().principalId()
                    + "', not of '" + id + "'");
        }
        Identity recovered = new Identity(id, opened.header().role(), opened.signing(), opened.encryption());
        String stale = "the backup holds keys that '" + id + "' no longer uses: it predates a key rotation";
        Optional<VerifiedPrincipal> entry;
        try {
            entry = connection.signedBy(recovered).principal(id);
        } catch (GatewayRefusal refusal) {
            // The gateway takes a request only under the key the directory binds now.
            if (refusal.code().equals(SignatureRefused.BAD_SIGNATURE)) {
                throw new IdstreamException(stale, refusal);
            }
            throw refusal;
        }
        Principal bound = entry.orElseThrow(() -> new IdstreamException("'" + id + "' is not in the directory"))
                .getPrincipal();
        if (!bound.getId().equals(id)
                || !Arrays.equals(PrincipalRecords.signingKey(bound), recovered.signing().publicKey())
                || !Arrays.equals(PrincipalRecords.encryptionKey(bound), recovered.encryption().publicKey())) {
            throw new IdstreamException(stale);
        }
        recovered.save(keysDir);
        return recovered;
    }
}
