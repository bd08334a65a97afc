package io.idstream.sdk;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A principal's id, role and two key pairs, kept as {@code <keys dir>/<id>/signing.pem} and
 * {@code <keys dir>/<id>/encryption.pem} (PKCS#8 PEM, mode 600) and nowhere else; the role in {@code role}.
 */
public final class Identity {
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

    /** Makes new keys for {@code id} and writes them; refuses an id that already has keys there. */
    public static Identity create(Path keysDir, String id, String role) {
        try {
            Identifiers.requirePrincipalId("id", id);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage());
        }
        Identity identity = new Identity(id, role, SigningKeyPair.generate(), EncryptionKeyPair.generate());
        identity.save(keysDir);
        return identity;
    }

    /**
     * Writes these keys to {@code keysDir/<id>} as {@link #load} reads them: the directory mode 700, the keys mode 600.
     * Refuses an id that already has keys there.
     */
    public void save(Path keysDir) {
        Path dir = keysDir.resolve(id);
        if (Files.exists(dir.resolve("signing.pem"))) {
            throw new IdstreamException("keys for '" + id + "' already exist in " + dir);
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            writePrivate(dir.resolve("signing.pem"), signing.toPem());
            writePrivate(dir.resolve("encryption.pem"), encryption.toPem());
            Files.writeString(dir.resolve("role"), role + "\n");
        } catch (IOException e) {
            throw new IdstreamException("cannot write the keys of '" + id + "' to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static Identity load(Path keysDir, String id) {
        Path dir = keysDir.resolve(id);
        if (!Files.exists(dir.resolve("signing.pem"))) {
            throw new IdstreamException("no keys for '" + id + "' in " + keysDir
                    + " (create them with 'idstream identity create')");
        }
        try {
            String role = Files.exists(dir.resolve("role")) ? Files.readString(dir.resolve("role")).strip() : "";
            return new Identity(id, role, SigningKeyPair.fromPem(Files.readString(dir.resolve("signing.pem"))),
                    EncryptionKeyPair.fromPem(Files.readString(dir.resolve("encryption.pem"))));
        } catch (IOException e) {
            throw new IdstreamException("cannot read the keys of '" + id + "' in " + dir + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new IdstreamException("the keys of '" + id + "' in " + dir + " are unusable: " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(file, pem);
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
