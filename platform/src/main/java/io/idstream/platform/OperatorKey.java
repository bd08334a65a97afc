package io.idstream.platform;

import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded platform's operator key: the Ed25519 key whose accreditations of issuers the platform's processors
 * trust. Made on first start and kept in the data dir as PKCS#8 PEM, readable by its owner only.
 */
public final class OperatorKey {
    private OperatorKey() {
    }

    public static SigningKeyPair loadOrCreate(Path file) {
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
