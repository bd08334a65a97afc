package io.idstream.platform;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The embedded platform's operator key: the Ed25519 key whose accreditations of issuers the platform's processors
 * trust. Made on first start and kept in the data dir as PKCS#8 PEM, mode 600, and
 * refused when others may read it or it is a symbolic link (docs/protocol.md section 2).
 */
public final class OperatorKey {
    private OperatorKey() {
    }

    public static SigningKeyPair loadOrCreate(Path file) {
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return SigningKeyPair.fromPem(PrivateKeyFile.read(file));
            }
            SigningKeyPair key = SigningKeyPair.generate();
            PrivateKeyFile.write(file, key.toPem());
            return key;
        } catch (IOException e) {
            throw new PlatformException("cannot read or create the operator key " + file + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new PlatformException("the operator key " + file + " is unusable: " + e.getMessage(), e);
        }
    }
}
