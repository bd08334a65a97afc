package io.idstream.sdk;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A principal's id, role and two key pairs, kept as {@code <keys dir>/<id>/signing.pem} and
 * {@code <keys dir>/<id>/encryption.pem} (PKCS#8 PEM, plain or passphrase-encrypted, mode 600 in a directory of
 * mode 700) and nowhere else; the role in {@code role}.
 */
public final class Identity {
    private static final String SIGNING_FILE = "signing.pem";
    private static final String ENCRYPTION_FILE = "encryption.pem";

    private final String id;
    private final String role;
    private final SigningKeyPair signing;
    private final EncryptionKeyPair encryption;

    public Identity(String id, String role, SigningKeyPair signing, EncryptionKeyPair encryption) {
        this.id = id;
        this.role = role;
        this.signing = signing;
        this.encryption = encryption;
    }

    /** Makes new keys for {@code id} and writes them unencrypted; refuses an id that already has keys there. */
    public static Identity create(Path keysDir, String id, String role) {
        return create(keysDir, id, role, null);
    }

    /**
     * Makes new keys for {@code id} and writes them, encrypted under {@code passphrase} unless it is null; refuses an
     * id that already has keys there.
     */
    public static Identity create(Path keysDir, String id, String role, char[] passphrase) {
        try {
            Identifiers.requirePrincipalId("id", id);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage());
        }
        Identity identity = new Identity(id, role, SigningKeyPair.generate(), EncryptionKeyPair.generate());
        identity.save(keysDir, passphrase);
        return identity;
    }

    /** Writes these keys unencrypted, as {@link #save(Path, char[])} does. */
    public void save(Path keysDir) {
        save(keysDir, null);
    }

    /**
     * Writes these keys to {@code keysDir/<id>} as {@link #load} reads them: the directory mode 700, the keys mode 600,
     * each encrypted under {@code passphrase} (PKCS#8 PBES2, docs/protocol.md section 2) unless it is null. Refuses an
     * id that already has keys there.
     */
    public void save(Path keysDir, char[] passphrase) {
        Path dir = keysDir.resolve(id);
        if (Files.exists(dir.resolve(SIGNING_FILE), LinkOption.NOFOLLOW_LINKS)) {
            throw new IdstreamException("keys for '" + id + "' already exist in " + dir);
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            PrivateKeyFile.write(dir.resolve(ENCRYPTION_FILE),
                    passphrase == null ? encryption.toPem() : encryption.toEncryptedPem(passphrase));
            // The signing key last: its file is what marks an identity as present.
            PrivateKeyFile.write(dir.resolve(SIGNING_FILE),
                    passphrase == null ? signing.toPem() : signing.toEncryptedPem(passphrase));
            Files.writeString(dir.resolve("role"), role + "\n");
        } catch (IOException e) {
            throw new IdstreamException("cannot write the keys of '" + id + "' to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The identity {@code id} from unencrypted keys; encrypted ones are refused with a message that says so. */
    public static Identity load(Path keysDir, String id) {
        return load(keysDir, id, null);
    }

    /**
     * The identity {@code id} from {@code keysDir/<id>}. Each key file must be a regular file that neither its group
     * nor others may read (mode 600), not a symbolic link; otherwise it is refused, naming the file, its mode and
     * the fix. {@code passphrase} is asked once, only when a key is encrypted, and the array it gives is cleared
     * after use; without it (null) an encrypted key is refused.
     */
    public static Identity load(Path keysDir, String id, Supplier<char[]> passphrase) {
        Path dir = keysDir.resolve(id);
        if (!Files.exists(dir.resolve(SIGNING_FILE), LinkOption.NOFOLLOW_LINKS)) {
            throw new IdstreamException("no keys for '" + id + "' in " + keysDir
                    + " (create them with 'idstream identity create')");
        }
        char[] secret = null;
        try {
            String role = Files.exists(dir.resolve("role")) ? Files.readString(dir.resolve("role")).strip() : "";
            String signingPem = PrivateKeyFile.read(dir.resolve(SIGNING_FILE));
            String encryptionPem = PrivateKeyFile.read(dir.resolve(ENCRYPTION_FILE));
            if (PrivateKeyFile.isEncrypted(signingPem) || PrivateKeyFile.isEncrypted(encryptionPem)) {
                if (passphrase == null) {
                    throw new IdstreamException("the keys of '" + id + "' in " + dir + " are encrypted: "
                            + "load them with their passphrase");
                }
                secret = passphrase.get();
            }
            return new Identity(id, role, SigningKeyPair.fromPem(signingPem, secret),
                    EncryptionKeyPair.fromPem(encryptionPem, secret));
        } catch (IOException e) {
            throw new IdstreamException("cannot read the keys of '" + id + "' in " + dir + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new IdstreamException("the keys of '" + id + "' in " + dir + " are unusable: " + e.getMessage(), e);
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    public String id() {
        return id;
    }

    public String role() {
        return role;
    }

    public SigningKeyPair signing() {
        return signing;
    }

    public EncryptionKeyPair encryption() {
        return encryption;
    }

    @Override
    public String toString() {
        return "Identity[" + id + ", " + role + "]";
    }
}
