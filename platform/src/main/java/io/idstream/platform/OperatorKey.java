package io.idstream.platform;

import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * The embedded platform's operator key: the Ed25519 key whose accreditations of issuers the platform's processors
 * trust. Made on first start and kept in the data dir as PKCS#8 PEM, readable by its owner only; its public half is
 * written beside it in hex ({@link #publicKeyFile}), for consumers to pin (docs/protocol.md section 8).
 */
public final class OperatorKey {
    /** The name of the file, beside the private key, that holds the public key in hex. */
    public static final String PUBLIC_KEY_FILE = "public.hex";

    private OperatorKey() {
    }

    /** Where the public half of the key in {@code file} is written. */
    public static Path publicKeyFile(Path file) {
        return file.resolveSibling(PUBLIC_KEY_FILE);
    }

    public static SigningKeyPair loadOrCreate(Path file) {
        SigningKeyPair key = loadOrCreatePrivate(file);
        Path publicFile = publicKeyFile(file);
        try {
            Files.writeString(publicFile, HexFormat.of().formatHex(key.publicKey()) + "\n");
        } catch (IOException e) {
            throw new PlatformException("cannot write the operator's public key " + publicFile + ": "
                    + e.getMessage(), e);
        }
        return key;
    }

    private static SigningKeyPair loadOrCreatePrivate(Path file) {
        try {
            if (Files.exists(file)) {
                return SigningKeyPair.fromPem(Files.readString(file));
            }
            Files.createDirectories(file.getParent());
            SigningKeyPair key = SigningKeyPair.generate();
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(partial, "");
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(partial, key.toPem());
            Files.move(partial, file);
            return key;
        } catch (IOException e) {
            throw new PlatformException("cannot read or create the operator key " + file + ": " + e.getMessage(), e);
        }
    }
}
