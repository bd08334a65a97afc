package io.idstream.platform;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The embedded platform's operator key: the Ed25519 key whose accreditations of issuers the platform's processors
 * trust. Made on first start and kept in the data dir as PKCS#8 PEM, mode 600, and refused when others may read it or
 * it is a symbolic link (docs/protocol.md section 2); the platform writes its public half beside it in hex
 * ({@link #writePublicKey}), for consumers to pin (docs/protocol.md section 8).
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

    /** Writes the public half of {@code key}, kept in {@code file}, to {@link #publicKeyFile}. */
    public static void writePublicKey(Path file, SigningKeyPair key) {
        Path publicFile = publicKeyFile(file);
        try {
            Files.writeString(publicFile, HexFormat.of().formatHex(key.publicKey()) + "\n");
        } catch (IOException e) {
            throw new PlatformException("cannot write the operator's public key " + publicFile + ": "
                    + e.getMessage(), e);
        }
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
