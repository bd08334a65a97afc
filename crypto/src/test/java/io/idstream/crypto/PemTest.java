package io.idstream.crypto;

import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
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

/** PKCS#8 PEM, plain and passphrase-encrypted, as OpenSSL writes and reads it (docs/protocol.md section 2). */
class PemTest {
    static final String PASSPHRASE = "correct horse battery staple";
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

    @Test
    void encryptedPemRoundTripsUnderItsPassphraseAndHoldsNoRawKey() {
        SigningKeyPair signing = SigningKeyPair.fromPrivateKey(bytes(RFC8032_TEST1));
        EncryptionKeyPair encryption = EncryptionKeyPair.generate();

        String signingPem = signing.toEncryptedPem(PASSPHRASE.toCharArray());
        String encryptionPem = encryption.toEncryptedPem(PASSPHRASE.toCharArray());

        assertThat(signingPem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                .endsWith("-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThat(PrivateKeyFile.isEncrypted(signingPem)).isTrue();
        assertThat(PrivateKeyFile.isEncrypted(signing.toPem())).isFalse();
        byte[] der = Base64.getMimeDecoder().decode(signingPem.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(hex(der)).doesNotContain(RFC8032_TEST1);
        assertThat(hex(SigningKeyPair.fromPem(signingPem, PASSPHRASE.toCharArray()).publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(EncryptionKeyPair.fromPem(encryptionPem, PASSPHRASE.toCharArray()).publicKey())
                .isEqualTo(encryption.publicKey());
        assertThat(signing.toEncryptedPem(PASSPHRASE.toCharArray())).as("a fresh salt and IV each time")
                .isNotEqualTo(signingPem);
    }

    @Test
    void encryptedPemIsPbes2WithPbkdf2HmacSha256AndAes256Cbc() {
        String pem = EncryptionKeyPair.generate().toEncryptedPem(PASSPHRASE.toCharArray());
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "")));
        assertThat(info.getEncryptionAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.5.13");
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        assertThat(pbes2.getKeyDerivationFunc().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.5.12");
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertThat(kdf.getPrf().getAlgorithm().getId()).as("PRF hmacWithSHA256").isEqualTo("1.2.840.113549.2.9");
        assertThat(kdf.getIterationCount().intValue()).isEqualTo(600_000);
        assertThat(kdf.getSalt()).hasSize(16);
        assertThat(pbes2.getEncryptionScheme().getAlgorithm().getId()).as("aes256-CBC")
                .isEqualTo("2.16.840.1.101.3.4.1.42");
    }

    @Test
    void aWrongOrMissingPassphraseIsOneClearRefusal() {
        String pem = SigningKeyPair.generate().toEncryptedPem(PASSPHRASE.toCharArray());
        assertThatThrownBy(() -> SigningKeyPair.fromPem(pem, "not the passphrase".toCharArray()))
                .isInstanceOf(CryptoException.class)
                .hasMessage("wrong passphrase for signing key (or the file is damaged)");
        assertThatThrownBy(() -> SigningKeyPair.fromPem(pem))
                .isInstanceOf(CryptoException.class)
                .hasMessage("signing key is encrypted and no passphrase was given");
        assertThatThrownBy(() -> EncryptionKeyPair.fromPem(
                EncryptionKeyPair.generate().toEncryptedPem(PASSPHRASE.toCharArray()), new char[] {'x'}))
                .isInstanceOf(CryptoException.class)
                .hasMessage("wrong passphrase for encryption key (or the file is damaged)");
    }

    @Test
    void opensslReadsOurEncryptedKeysWithThePassphrase() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        SigningKeyPair signing = SigningKeyPair.generate();
        EncryptionKeyPair encryption = EncryptionKeyPair.generate();
        assertThat(opensslPublicKey(signing.toEncryptedPem(PASSPHRASE.toCharArray()), PASSPHRASE))
                .isEqualTo(signing.publicKey());
        assertThat(opensslPublicKey(encryption.toEncryptedPem(PASSPHRASE.toCharArray()), PASSPHRASE))
                .isEqualTo(encryption.publicKey());

        Process wrong = openssl(Files.writeString(dir.resolve("wrong.pem"),
                signing.toEncryptedPem(PASSPHRASE.toCharArray())), "not the passphrase");
        wrong.getInputStream().readAllBytes();
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).as("openssl pkey exit code with a wrong passphrase").isNotZero();
    }

    @Test
    void readsWhatOpensslEncrypted() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path plain = Files.writeString(dir.resolve("plain.pem"), resource("openssl-ed25519.pem"));
        Path encrypted = dir.resolve("encrypted.pem");
        ProcessBuilder builder = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf",
                "hmacWithSHA256", "-in", plain.toString(), "-out", encrypted.toString(), "-passout", "env:KEY_PASS")
                .redirectErrorStream(true);
        builder.environment().put("KEY_PASS", PASSPHRASE);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl pkcs8 -topk8: %s", output).isZero();

        assertThat(hex(SigningKeyPair.fromPem(Files.readString(encrypted), PASSPHRASE.toCharArray()).publicKey()))
                .isEqualTo(resource("openssl-ed25519.pub.hex").strip());
    }

    private byte[] opensslPublicKey(String pem, String passphrase) throws Exception {
        Process process = openssl(Files.writeString(dir.resolve("encrypted-key.pem"), pem), passphrase);
        byte[] der = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl pkey -passin exit code").isZero();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    /** {@code openssl pkey -passin env:...}, the passphrase in the environment as a script would give it. */
    private static Process openssl(Path file, String passphrase) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("openssl", "pkey", "-in", file.toString(), "-passin",
                "env:KEY_PASS", "-pubout", "-outform", "DER").redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("KEY_PASS", passphrase);
        return builder.start();
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
