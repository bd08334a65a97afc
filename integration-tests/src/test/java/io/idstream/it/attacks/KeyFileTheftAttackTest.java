package io.idstream.it.attacks;

import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stealing or planting key files on the holder's host: a key file that other local users can read has already
 * leaked, so the SDK refuses to use it rather than keep signing with it; a symbolic link planted in the keys
 * directory, pointing at a key the attacker controls, is refused, so the holder never signs with the attacker's key;
 * and an encrypted key copied off the disk gives the thief neither the key nor its raw bytes without the passphrase.
 */
@Timeout(60)
class KeyFileTheftAttackTest {
    /** RFC 8032's first test key, so that its bytes can be looked for in the file. */
    static final String ALICE_SIGNING_KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    @TempDir
    Path dir;

    @Test
    void aKeyFileOthersCanReadIsRefusedWithItsModeAndTheFix() throws IOException {
        Path keys = dir.resolve("keys");
        Identity.create(keys, "alice", "holder");
        Path signing = keys.resolve("alice/signing.pem");
        // What a careless copy or an umask of 022 leaves behind.
        Files.setPosixFilePermissions(signing, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Identity.load(keys, "alice"))
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(signing.toString())
                .hasMessageContaining("mode 644")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void anEncryptedKeyCopiedByAThiefHoldsNoKeyBytesAndOpensOnlyWithThePassphrase() throws IOException {
        byte[] signingKey = HexFormat.of().parseHex(ALICE_SIGNING_KEY);
        Identity alice = new Identity("alice", "holder", SigningKeyPair.fromPrivateKey(signingKey),
                EncryptionKeyPair.generate());
        Path keys = dir.resolve("keys");
        alice.save(keys, "alice's passphrase".toCharArray());

        // The thief copies alice's key directory, modes and all, into a keys directory of their own.
        Path stolen = dir.resolve("stolen-keys");
        Files.createDirectories(stolen.resolve("alice"));
        for (String file : List.of("signing.pem", "encryption.pem", "role")) {
            Files.copy(keys.resolve("alice").resolve(file), stolen.resolve("alice").resolve(file),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }

        String pem = Files.readString(stolen.resolve("alice/signing.pem"));
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(HexFormat.of().formatHex(der)).as("the stolen file's bytes").doesNotContain(ALICE_SIGNING_KEY);
        assertThatThrownBy(() -> Identity.load(stolen, "alice"))
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining("are encrypted");
        assertThatThrownBy(() -> Identity.load(stolen, "alice", () -> "password1".toCharArray()))
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining("wrong passphrase");

        Identity opened = Identity.load(keys, "alice", () -> "alice's passphrase".toCharArray());
        assertThat(opened.signing().publicKey()).as("alice's own public key, opened with her passphrase")
                .isEqualTo(SigningKeyPair.fromPrivateKey(signingKey).publicKey());
    }

    @Test
    void aSymbolicLinkToAnotherKeyIsRefused() throws IOException {
        Path keys = dir.resolve("keys");
        Identity.create(keys, "alice", "holder");
        Identity.create(dir.resolve("mallory-keys"), "mallory", "holder");
        Path signing = keys.resolve("alice/signing.pem");
        Files.delete(signing);
        Files.createSymbolicLink(signing, dir.resolve("mallory-keys/mallory/signing.pem"));

        assertThatThrownBy(() -> Identity.load(keys, "alice"))
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(signing.toString())
                .hasMessageContaining("symbolic link");
    }
}
