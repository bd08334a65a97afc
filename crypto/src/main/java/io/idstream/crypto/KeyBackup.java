package io.idstream.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A principal's two private keys sealed under its passphrase (docs/protocol.md section 17), so that a holder who lost
 * its device can recover its identity: Argon2id turns the passphrase into an AES-256-GCM key, and the header (who, and
 * the Argon2id parameters) is the AEAD's associated data, so a changed header fails as a wrong passphrase does. A
 * reader checks the header's limits before it runs Argon2id, so a hostile backup cannot make it spend unbounded memory
 * or time. Whoever holds the bytes can guess passphrases offline at Argon2id's cost: hence a passphrase of at least
 * {@value #MIN_PASSPHRASE_CHARACTERS} characters.
 */
public final class KeyBackup {
    public static final int MIN_PASSPHRASE_CHARACTERS = 12;
    static final int NONCE_LENGTH = 12;
    static final int KEY_LENGTH = 32;
    private static final int TAG_BITS = 128;
    /** lp(signing key) || lp(encryption key). */
    static final int PLAINTEXT_LENGTH = 2 * (4 + RawKeyPair.KEY_LENGTH);
    private static final int CIPHERTEXT_LENGTH = PLAINTEXT_LENGTH + TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyBackup() {
    }

    /** The Argon2id cost: memory in KiB, passes over it, and lanes. */
    public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
        /** RFC 9106 section 4, the second recommended option: 64 MiB, 3 passes, 4 lanes. */
        public static final Argon2Params DEFAULTS = new Argon2Params(65536, 3, 4);
    }

    /** What a backup says about itself before it is opened; the header bytes are the AEAD's associated data. */
    public record Header(String principalId, String role, Argon2Params params, byte[] salt, long createdAt) {
        public Header {
            salt = salt.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public String toString() {
            return "Header[" + principalId + ", " + role + ", " + params + ", createdAt=" + createdAt + "]";
        }
    }

    /** An opened backup: its header and the principal's key pairs. */
    public record Opened(Header header, SigningKeyPair signing, EncryptionKeyPair encryption) {
    }

    /** Seals the keys with the default Argon2id cost, a random salt and a random nonce. */
    public static byte[] seal(String principalId, String role, SigningKeyPair signing, EncryptionKeyPair encryption,
                              char[] passphrase, long createdAt) {
        byte[] salt = new byte[BackupFormat.SALT_LENGTH];
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        return seal(principalId, role, signing, encryption, passphrase, createdAt, Argon2Params.DEFAULTS, salt,
                nonce);
    }

    /** Seals the keys with the given cost, salt and nonce, as the vectors do; never reuse a salt or nonce. */
    public static byte[] seal(String principalId, String role, SigningKeyPair signing, EncryptionKeyPair encryption,
                              char[] passphrase, long createdAt, Argon2Params params, byte[] salt, byte[] nonce) {
        if (passphrase == null || Character.codePointCount(passphrase, 0, passphrase.length)
                < MIN_PASSPHRASE_CHARACTERS) {
            throw new CryptoException("a backup passphrase has at least " + MIN_PASSPHRASE_CHARACTERS
                    + " characters: whoever fetches the backup can guess it offline");
        }
        Header header = new Header(principalId, role, params, salt, createdAt);
        byte[] plaintext = Encoding.untagged().lp(signing.privateKey()).lp(encryption.privateKey()).toBytes();
        try {
            return sealPlaintext(header, passphrase, nonce, plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Seals any plaintext under a checked header; the caller gives the two keys' encoding, tests a wrong one. */
    static byte[] sealPlaintext(Header header, char[] passphrase, byte[] nonce, byte[] plaintext) {
        byte[] headerBytes = BackupFormat.encode(header);
        if (nonce.length != NONCE_LENGTH) {
            throw new CryptoException("a backup nonce is " + NONCE_LENGTH + " bytes, not " + nonce.length);
        }
        byte[] key = deriveKey(passphrase, header);
        try {
            byte[] ciphertext = aesGcm(Cipher.ENCRYPT_MODE, key, nonce, headerBytes, plaintext);
            return Encoding.untagged().raw(headerBytes).raw(nonce).raw(ciphertext).toBytes();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The header of a backup, once its shape and limits are checked; fails naming the problem. */
    public static Header readHeader(byte[] backup) {
        return BackupFormat.parse(backup, NONCE_LENGTH + CIPHERTEXT_LENGTH).header();
    }

    /**
     * Opens a backup with its passphrase. A passphrase that is wrong and a backup that was altered fail alike, with
     * one message, as AES-GCM cannot tell them apart.
     */
    public static Opened open(byte[] backup, char[] passphrase) {
        BackupFormat.Parsed parsed = BackupFormat.parse(backup, NONCE_LENGTH + CIPHERTEXT_LENGTH);
        Header header = parsed.header();
        int at = parsed.headerLength();
        byte[] headerBytes = Arrays.copyOfRange(backup, 0, at);
        byte[] nonce = Arrays.copyOfRange(backup, at, at + NONCE_LENGTH);
        byte[] ciphertext = Arrays.copyOfRange(backup, at + NONCE_LENGTH, backup.length);
        byte[] key = deriveKey(passphrase, header);
        byte[] plaintext = null;
        try {
            plaintext = aesGcm(Cipher.DECRYPT_MODE, key, nonce, headerBytes, ciphertext);
            return keysOf(header, plaintext);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /** The two keys of a plaintext that the header's parse already fixed at 72 bytes. */
    private static Opened keysOf(Header header, byte[] plaintext) {
        ByteBuffer in = ByteBuffer.wrap(plaintext);
        byte[] signing = new byte[RawKeyPair.KEY_LENGTH];
        byte[] encryption = new byte[RawKeyPair.KEY_LENGTH];
        try {
            readKey(in, signing, header);
            readKey(in, encryption, header);
            return new Opened(header, SigningKeyPair.fromPrivateKey(signing),
                    EncryptionKeyPair.fromPrivateKey(encryption));
        } finally {
            Arrays.fill(signing, (byte) 0);
            Arrays.fill(encryption, (byte) 0);
        }
    }

    /** {@code lp(key)} of a 32-byte key into {@code key}. */
    private static void readKey(ByteBuffer in, byte[] key, Header header) {
        if (in.getInt() != key.length) {
            throw new CryptoException("the backup of " + header.principalId()
                    + " does not hold two 32-byte private keys");
        }
        in.get(key);
    }

    /** Argon2id (RFC 9106, version 0x13) of the passphrase's UTF-8 bytes, not normalized: the 32-byte AES key. */
    static byte[] deriveKey(char[] passphrase, Header header) {
        byte[] password = utf8(passphrase);
        try {
            Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(header.params().memoryKiB())
                    .withIterations(header.params().iterations())
                    .withParallelism(header.params().parallelism())
                    .withSalt(header.salt())
                    .build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] key = new byte[KEY_LENGTH];
            generator.generateBytes(password, key);
            return key;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static byte[] utf8(char[] passphrase) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(passphrase));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return bytes;
        } catch (CharacterCodingException e) {
            throw new CryptoException("the passphrase is not valid Unicode text (a lone surrogate)");
        }
    }

    private static byte[] aesGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new CryptoException("wrong passphrase (or the backup was altered)");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("backup AES-GCM failed: " + e.getClass().getSimpleName());
        }
    }

    /** The backup in PEM-like armour, base64 in lines of 64, for a file. */
    public static String armor(byte[] backup) {
        return BackupFormat.armor(backup);
    }

    /** The bytes of an armoured backup; refuses text that is not exactly one armoured block. */
    public static byte[] unarmor(String text) {
        return BackupFormat.unarmor(text);
    }
}
