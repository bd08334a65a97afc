package io.idstream.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static io.idstream.crypto.Hex.bytes;
import static io.idstream.crypto.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** PKCS#8 PEM as OpenSSL writes and reads it (docs/protocol.md section 2). */
class PemTest {
    static final String RFC8032_TEST1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    @TempDir
    Path dir;

    @Test
    void ed25519PemIsTheOpensslForm() {
        String pem = SigningKeyPair.fromPrivateKey(bytes(RFC8032_TEST1)).toPem();
        // PrivateKeyInfo v0, OID 1.3.101.112, the 32-byte key inside an OCTET STRING: what openssl genpkey writes.
        byte[] expected = bytes("302e020100300506032b657004220420" + RFC8032_TEST1);
        assertThat(pem).isEqualTo("-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(expected)
                + "\n-----END PRIVATE KEY-----\n");
        assertThat(hex(SigningKeyPair.fromPem(pem).publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }

    @Test
    void x25519PemRoundTrips() {
        EncryptionKeyPair keys = EncryptionKeyPair.generate();
        String pem = keys.toPem();
        assertThat(Base64.getMimeDecoder().decode(pem.lines().skip(1).findFirst().orElseThrow()))
                .startsWith(bytes("302e020100300506032b656e04220420"));
        assertThat(EncryptionKeyPair.fromPem(pem).publicKey()).isEqualTo(keys.publicKey());
    }

    @Test
    void readsWhatOpensslGenpkeyWrote() throws IOException {
        String ed25519 = resource("openssl-ed25519.pem");
        String x25519 = resource("openssl-x25519.pem");
        assertThat(hex(SigningKeyPair.fromPem(ed25519).publicKey())).isEqualTo(resource("openssl-ed25519.pub.hex").strip());
        assertThat(hex(EncryptionKeyPair.fromPem(x25519).publicKey())).isEqualTo(resource("openssl-x25519.pub.hex").strip());
    }

    @Test
    void opensslReadsOurs() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        SigningKeyPair signing = SigningKeyPair.generate();
        EncryptionKeyPair encryption = EncryptionKeyPair.generate();
        assertThat(opensslPublicKey(signing.toPem())).isEqualTo(signing.publicKey());
        assertThat(opensslPublicKey(encryption.toPem())).isEqualTo(encryption.publicKey());
    }

    @Test
    void refusesOtherKeysWithAClearMessage() throws IOException {
        assertThatThrownBy(() -> SigningKeyPair.fromPem(resource("openssl-x25519.pem")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("1.3.101.110")
                .hasMessageContaining("expected 1.3.101.112");
        assertThatThrownBy(() -> EncryptionKeyPair.fromPem("not a pem"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not a PKCS#8 PEM");
        assertThatThrownBy(() -> SigningKeyPair.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("PrivateKeyInfo");
    }

    private byte[] opensslPublicKey(String pem) throws Exception {
        Path file = Files.writeString(dir.resolve("key.pem"), pem);
        Process process = new ProcessBuilder("openssl", "pkey", "-in", file.toString(), "-pubout", "-outform", "DER")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] der = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl pkey exit code").isZero();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    static String resource(String name) throws IOException {
        try (var in = PemTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
