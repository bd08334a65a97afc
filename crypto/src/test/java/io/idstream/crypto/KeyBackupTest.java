package io.idstream.crypto;

import io.idstream.crypto.KeyBackup.Argon2Params;
import io.idstream.crypto.KeyBackup.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A key backup (docs/protocol.md section 17) opens with its passphrase to the keys sealed in it and with nothing else;
 * a reader refuses a header outside the limits before it runs Argon2id; any change to the header fails as a wrong
 * passphrase does, since the header is the AEAD's associated data.
 */
class KeyBackupTest {
    static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    static final String WRONG_PASSPHRASE = "wrong passphrase (or the backup was altered)";
    static final SigningKeyPair SIGNING = SigningKeyPair.generate();
    static final EncryptionKeyPair ENCRYPTION = EncryptionKeyPair.generate();
    static final byte[] SALT = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    static byte[] backup;

    @BeforeAll
    static void seal() {
        backup = KeyBackup.seal("alice", "holder", SIGNING, ENCRYPTION, PASSPHRASE, 1_000L);
    }

    @Test
    void aSealedBackupOpensToTheSameKeys() {
        KeyBackup.Opened opened = KeyBackup.open(backup, PASSPHRASE);

        assertThat(opened.header().principalId()).isEqualTo("alice");
        assertThat(opened.header().role()).isEqualTo("holder");
        assertThat(opened.header().createdAt()).isEqualTo(1_000L);
        assertThat(opened.header().params()).isEqualTo(Argon2Params.DEFAULTS);
        assertThat(opened.signing().publicKey()).isEqualTo(SIGNING.publicKey());
        assertThat(opened.encryption().publicKey()).isEqualTo(ENCRYPTION.publicKey());
    }

    @Test
    void aWrongPassphraseFailsWithOneClearError() {
        assertThatThrownBy(() -> KeyBackup.open(backup, "correct horse battery!".toCharArray()))
                .isInstanceOf(CryptoException.class).hasMessage(WRONG_PASSPHRASE);
    }

    @Test
    void aChangedRoleOrCreationTimeFailsAsAWrongPassphrase() {
        byte[] asIssuer = backup.clone();
        int role = indexOf(asIssuer, Encoding.utf8("holder"));
        System.arraycopy(Encoding.utf8("issuer"), 0, asIssuer, role, 6);
        assertThat(KeyBackup.readHeader(asIssuer).role()).as("the header still parses").isEqualTo("issuer");
        assertThatThrownBy(() -> KeyBackup.open(asIssuer, PASSPHRASE))
                .isInstanceOf(CryptoException.class).hasMessage(WRONG_PASSPHRASE);

        byte[] backdated = backup.clone();
        int createdAtLastByte = headerLength(backup) - 1;
        backdated[createdAtLastByte] ^= 1;
        assertThatThrownBy(() -> KeyBackup.open(backdated, PASSPHRASE))
                .isInstanceOf(CryptoException.class).hasMessage(WRONG_PASSPHRASE);
    }

    @Test
    void aPlaintextThatIsNotTwo32ByteKeysIsRefused() {
        Header header = new Header("alice", "holder", Argon2Params.DEFAULTS, SALT, 1_000L);
        // 72 bytes, as two keys take, split 33 + 31
        byte[] plaintext = Encoding.untagged().lp(new byte[33]).lp(new byte[31]).toBytes();
        byte[] sealed = KeyBackup.sealPlaintext(header, PASSPHRASE, new byte[12], plaintext);

        assertThatThrownBy(() -> KeyBackup.open(sealed, PASSPHRASE))
                .isInstanceOf(CryptoException.class)
                .hasMessage("the backup of alice does not hold two 32-byte private keys");
    }

    @Test
    void aPassphraseOfFewerThan12CharactersIsNotUsed() {
        assertThatThrownBy(() -> KeyBackup.seal("alice", "holder", SIGNING, ENCRYPTION,
                "eleven char".toCharArray(), 1_000L))
                .isInstanceOf(CryptoException.class).hasMessageContaining("at least 12 characters");
        // 11 characters outside the Basic Multilingual Plane: 22 Java chars, still 11 characters
        assertThatThrownBy(() -> KeyBackup.seal("alice", "holder", SIGNING, ENCRYPTION,
                "\uD83D\uDD11".repeat(11).toCharArray(), 1_000L))
                .isInstanceOf(CryptoException.class).hasMessageContaining("at least 12 characters");
    }

    static Stream<Arguments> headersOutsideTheLimits() {
        return Stream.of(
                arguments("memory below 64 MiB", header("idstream/v1/backup", 65535, 3, 4, 16),
                        "memory 65535 KiB is outside 65536..1048576"),
                arguments("memory above 1 GiB", header("idstream/v1/backup", 1048577, 3, 4, 16),
                        "memory 1048577 KiB is outside 65536..1048576"),
                arguments("memory of 4 GiB, negative as a signed int", header("idstream/v1/backup", -1, 3, 4, 16),
                        "memory 4294967295 KiB is outside"),
                arguments("no iteration", header("idstream/v1/backup", 65536, 0, 4, 16),
                        "iterations 0 are outside 1..16"),
                arguments("17 iterations", header("idstream/v1/backup", 65536, 17, 4, 16),
                        "iterations 17 are outside 1..16"),
                arguments("no lane", header("idstream/v1/backup", 65536, 3, 0, 16),
                        "parallelism 0 is outside 1..16"),
                arguments("17 lanes", header("idstream/v1/backup", 65536, 3, 17, 16),
                        "parallelism 17 is outside 1..16"),
                arguments("a salt of 15 bytes", header("idstream/v1/backup", 65536, 3, 4, 15),
                        "salt is 15 bytes, not 16"),
                arguments("a salt of 17 bytes", header("idstream/v1/backup", 65536, 3, 4, 17),
                        "salt is 17 bytes, not 16"),
                arguments("another tag", header("idstream/v2/backup", 65536, 3, 4, 16),
                        "not an idstream backup"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headersOutsideTheLimits")
    void aHeaderOutsideTheLimitsIsRefusedBeforeArgon2Runs(String what, byte[] refused, String problem) {
        assertThatThrownBy(() -> KeyBackup.readHeader(refused))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
        assertThatThrownBy(() -> KeyBackup.open(refused, PASSPHRASE))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
    }

    @Test
    void aHeaderForAnotherIdShapeOrRoleIsRefused() {
        byte[] badId = Encoding.tagged("idstream/v1/backup").lp("Alice").lp("holder").u32(65536).u32(3).u32(4)
                .lp(SALT).u64(1_000L).raw(new byte[100]).toBytes();
        assertThatThrownBy(() -> KeyBackup.readHeader(badId))
                .isInstanceOf(CryptoException.class).hasMessageContaining("principal id 'Alice'");
        byte[] badRole = Encoding.tagged("idstream/v1/backup").lp("alice").lp("admin").u32(65536).u32(3).u32(4)
                .lp(SALT).u64(1_000L).raw(new byte[100]).toBytes();
        assertThatThrownBy(() -> KeyBackup.readHeader(badRole))
                .isInstanceOf(CryptoException.class).hasMessageContaining("role 'admin'");
    }

    @Test
    void trailingOrMissingBytesAreRefusedBeforeArgon2Runs() {
        byte[] longer = Arrays.copyOf(backup, backup.length + 1);
        assertThatThrownBy(() -> KeyBackup.readHeader(longer))
                .isInstanceOf(CryptoException.class).hasMessage("the backup has 1 trailing bytes");
        assertThatThrownBy(() -> KeyBackup.open(longer, PASSPHRASE))
                .isInstanceOf(CryptoException.class).hasMessage("the backup has 1 trailing bytes");
        byte[] shorter = Arrays.copyOf(backup, backup.length - 1);
        assertThatThrownBy(() -> KeyBackup.readHeader(shorter))
                .isInstanceOf(CryptoException.class).hasMessageContaining("the backup is truncated");
        byte[] headerCut = Arrays.copyOf(backup, 30);
        assertThatThrownBy(() -> KeyBackup.readHeader(headerCut))
                .isInstanceOf(CryptoException.class).hasMessage("the backup's header is truncated");
    }

    @Test
    void theArmourRoundTripsInLinesOf64() {
        String armoured = KeyBackup.armor(backup);

        String[] lines = armoured.split("\n");
        assertThat(lines[0]).isEqualTo("-----BEGIN IDSTREAM BACKUP-----");
        assertThat(lines[lines.length - 1]).isEqualTo("-----END IDSTREAM BACKUP-----");
        assertThat(Arrays.asList(lines).subList(1, lines.length - 2)).allSatisfy(line -> assertThat(line).hasSize(64));
        assertThat(KeyBackup.unarmor(armoured)).isEqualTo(backup);
        assertThat(KeyBackup.unarmor(armoured.replace("\n", "\r\n"))).as("a file saved with CRLF").isEqualTo(backup);
    }

    @Test
    void badArmourIsRefused() {
        String armoured = KeyBackup.armor(backup);
        String body = Base64.getEncoder().encodeToString(backup);
        assertThatThrownBy(() -> KeyBackup.unarmor(armoured.replace("BEGIN IDSTREAM BACKUP", "BEGIN PRIVATE KEY")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not an armoured backup");
        assertThatThrownBy(() -> KeyBackup.unarmor(armoured.replace("-----END IDSTREAM BACKUP-----\n", "")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not an armoured backup");
        assertThatThrownBy(() -> KeyBackup.unarmor(armoured + "and more"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not an armoured backup");
        assertThatThrownBy(() -> KeyBackup.unarmor("-----BEGIN IDSTREAM BACKUP-----\n" + body
                + "\n-----END IDSTREAM BACKUP-----\n"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("line 2 of the armoured backup");
        assertThatThrownBy(() -> KeyBackup.unarmor(armoured.replaceFirst("\n[A-Za-z0-9+/]", "\n*")))
                .isInstanceOf(CryptoException.class).hasMessage("the armoured backup is not valid base64");
    }

    static byte[] header(String tag, int memoryKiB, int iterations, int parallelism, int saltLength) {
        // followed by as many bytes as a nonce and a sealed pair of keys take, so only the header is wrong
        return Encoding.tagged(tag).lp("alice").lp("holder").u32(Integer.toUnsignedLong(memoryKiB)).u32(iterations)
                .u32(parallelism).lp(new byte[saltLength]).u64(1_000L).raw(new byte[12 + 72 + 16]).toBytes();
    }

    static int headerLength(byte[] sealed) {
        return sealed.length - 12 - 72 - 16;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
