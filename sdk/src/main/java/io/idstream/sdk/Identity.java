package io.idstream.sdk;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.topics.ReservedPrincipalIds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A principal's id, role and two key pairs, kept as {@code <keys dir>/<id>/signing.pem} and
 * {@code <keys dir>/<id>/encryption.pem} (PKCS#8 PEM, plain or passphrase-encrypted, mode 600 in a directory of
 * mode 700) and nowhere else; the role in {@code role}. A key rotation keeps the new keys in {@code <id>/next/}
 * until the directory binds them and they are in use, then moves them into place.
 */
public final class Identity {
    private static final String SIGNING_FILE = "signing.pem";
    private static final String ENCRYPTION_FILE = "encryption.pem";
    private static final String ROLE_FILE = "role";
    /** Where a key rotation keeps the new keys until they are bound and in use. */
    private static final String NEXT_DIR = "next";

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
     * id that already has keys there, and a reserved id, which the processors would not register (docs/protocol.md
     * section 1).
     */
    public static Identity create(Path keysDir, String id, String role, char[] passphrase) {
        try {
            Identifiers.requirePrincipalId("id", id);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage());
        }
        ReservedPrincipalIds.refusal(id).ifPresent(reason -> {
            throw new IdstreamException(reason);
        });
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
        saveIn(keysDir.resolve(id), passphrase);
    }

    private void saveIn(Path dir, char[] passphrase) {
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
            // Written as the keys are, through a new file that then replaces the name: a link planted as 'role'
            // is replaced, never written through.
            PrivateKeyFile.write(dir.resolve(ROLE_FILE), role + "\n");
        } catch (IOException e) {
            throw new IdstreamException("cannot write the keys of '" + id + "' to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes these keys, the ones a key rotation moves to, to {@code keysDir/<id>/next/} as {@link #save} writes
     * keys, before anything else of the rotation happens, so that a rotation cut short resumes with them
     * ({@link #loadNext}); refuses when that directory already holds keys.
     */
    public void saveNext(Path keysDir) {
        saveNext(keysDir, null);
    }

    /** {@link #saveNext(Path)}, the keys encrypted under {@code passphrase} unless it is null. */
    public void saveNext(Path keysDir, char[] passphrase) {
        saveIn(keysDir.resolve(id).resolve(NEXT_DIR), passphrase);
    }

    /**
     * The keys a rotation of {@code id} left in {@code keysDir/<id>/next/}, or empty when there are none. A promotion
     * cut short may already have moved the encryption key into place: it is then read from there.
     */
    public static Optional<Identity> loadNext(Path keysDir, String id) {
        return loadNext(keysDir, id, null);
    }

    /** {@link #loadNext(Path, String)}, asking {@code passphrase} as {@link #load(Path, String, Supplier)} does. */
    public static Optional<Identity> loadNext(Path keysDir, String id, Supplier<char[]> passphrase) {
        Path dir = keysDir.resolve(id);
        Path next = dir.resolve(NEXT_DIR);
        if (!Files.exists(next.resolve(SIGNING_FILE), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path encryptionFile = Files.exists(next.resolve(ENCRYPTION_FILE), LinkOption.NOFOLLOW_LINKS)
                ? next.resolve(ENCRYPTION_FILE) : dir.resolve(ENCRYPTION_FILE);
        return Optional.of(read(id, dir, next.resolve(SIGNING_FILE), encryptionFile, passphrase));
    }

    /**
     * Moves the keys in {@code keysDir/<id>/next/} into place, replacing these (the encryption key first, the
     * signing key last, each by an atomic rename, so that {@link #loadNext} finds the new keys whatever step a crash
     * stopped at), then removes {@code next/}.
     */
    public static void promoteNext(Path keysDir, String id) {
        Path dir = keysDir.resolve(id);
        Path nextDir = dir.resolve(NEXT_DIR);
        if (!Files.exists(nextDir.resolve(SIGNING_FILE), LinkOption.NOFOLLOW_LINKS)) {
            throw new IdstreamException("no new keys for '" + id + "' in " + nextDir);
        }
        try {
            for (String file : List.of(ENCRYPTION_FILE, SIGNING_FILE)) {
                if (Files.exists(nextDir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(nextDir.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.deleteIfExists(nextDir.resolve(ROLE_FILE));
            Files.deleteIfExists(nextDir);
        } catch (IOException e) {
            throw new IdstreamException("cannot move the new keys of '" + id + "' into " + dir + ": "
                    + e.getMessage(), e);
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
        return read(id, dir, dir.resolve(SIGNING_FILE), dir.resolve(ENCRYPTION_FILE), passphrase);
    }

    private static Identity read(String id, Path dir, Path signingFile, Path encryptionFile,
                                 Supplier<char[]> passphrase) {
        char[] secret = null;
        try {
            String role = Files.exists(dir.resolve(ROLE_FILE)) ? Files.readString(dir.resolve(ROLE_FILE)).strip() : "";
            String signingPem = PrivateKeyFile.read(signingFile);
            String encryptionPem = PrivateKeyFile.read(encryptionFile);
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
