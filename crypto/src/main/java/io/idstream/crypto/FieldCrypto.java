package io.idstream.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One credential field's cryptography (docs/protocol.md section 4): the salted commitment the issuer signs, the field
 * key derived from the credential key, and AES-256-GCM of {@code salt || value} bound to the credential and field name.
 */
public final class FieldCrypto {
    public static final int SALT_LENGTH = 16;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final int KEY_LENGTH = 32;
    public static final int COMMITMENT_LENGTH = 32;
    /** The shortest field ciphertext: nonce, salt, an empty value, tag. */
    public static final int MIN_CIPHERTEXT_LENGTH = NONCE_LENGTH + SALT_LENGTH + TAG_LENGTH;

    static final String COMMITMENT_TAG = "idstream/v1/commitment";
    static final String FIELD_KEY_TAG = "idstream/v1/field-key";
    static final String FIELD_AAD_TAG = "idstream/v1/field";

    private static final SecureRandom RANDOM = new SecureRandom();

    private FieldCrypto() {
    }

    /** A field's value and the salt it was committed with, as decrypted. */
    public record OpenedField(String name, byte[] salt, String value) {
        @Override
        public String toString() {
            return "OpenedField[" + name + "]";
        }
    }

    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    public static byte[] newCredentialKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    /** {@code H(lp(tag) || lp(credentialId) || lp(name) || lp(salt) || lp(value))}. */
    public static byte[] commitment(String credentialId, String name, byte[] salt, String value) {
        return ToBeSigned.sha256(Encoding.tagged(COMMITMENT_TAG).lp(credentialId).lp(name).lp(salt).lp(value)
                .toBytes());
    }

    /** HKDF-SHA256(IKM = K, salt = UTF-8(credentialId), info = lp(tag) || lp(name), L = 32). */
    public static byte[] fieldKey(byte[] credentialKey, String credentialId, String name) {
        if (credentialKey == null || credentialKey.length != KEY_LENGTH) {
            throw new CryptoException("a credential key is 32 bytes");
        }
        return Hkdf.derive(credentialKey, Encoding.utf8(credentialId),
                Encoding.untagged().lp(FIELD_KEY_TAG).lp(name).toBytes(), KEY_LENGTH);
    }

    /** {@code nonce || AES-256-GCM(fieldKey, nonce, salt || value, aad)} with a fresh random nonce. */
    public static byte[] encrypt(byte[] fieldKey, String credentialId, String name, byte[] salt, String value) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return encrypt(fieldKey, credentialId, name, salt, value, nonce);
    }

    static byte[] encrypt(byte[] fieldKey, String credentialId, String name, byte[] salt, String value,
                          byte[] nonce) {
        if (salt.length != SALT_LENGTH) {
            throw new CryptoException("a field salt is 16 bytes");
        }
        byte[] plaintext = ByteBuffer.allocate(SALT_LENGTH + Encoding.utf8(value).length).put(salt)
                .put(Encoding.utf8(value)).array();
        try {
            Cipher cipher = gcm(Cipher.ENCRYPT_MODE, fieldKey, nonce, credentialId, name);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_LENGTH + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("field encryption failed: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Decrypts a field ciphertext; fails when it was altered, moved to another field or credential, or the key is
     * wrong.
     */
    public static OpenedField decrypt(byte[] fieldKey, String credentialId, String name, byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < MIN_CIPHERTEXT_LENGTH) {
            throw new CryptoException("ciphertext of field '" + name + "' is "
                    + (ciphertext == null ? "missing" : ciphertext.length + " bytes")
                    + ", shorter than the " + MIN_CIPHERTEXT_LENGTH + "-byte minimum");
        }
        byte[] nonce = Arrays.copyOfRange(ciphertext, 0, NONCE_LENGTH);
        byte[] plaintext;
        try {
            Cipher cipher = gcm(Cipher.DECRYPT_MODE, fieldKey, nonce, credentialId, name);
            plaintext = cipher.doFinal(ciphertext, NONCE_LENGTH, ciphertext.length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new CryptoException("ciphertext of field '" + name + "' of credential " + credentialId
                    + " does not open: wrong key, another field's or credential's ciphertext, or altered bytes");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("field decryption failed: " + e.getClass().getSimpleName());
        }
        try {
            byte[] salt = Arrays.copyOfRange(plaintext, 0, SALT_LENGTH);
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext, SALT_LENGTH, plaintext.length - SALT_LENGTH)).toString();
            return new OpenedField(name, salt, value);
        } catch (CharacterCodingException e) {
            throw new CryptoException("value of field '" + name + "' is not valid UTF-8");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Whether the opened field matches the issuer's commitment, compared in constant time. */
    public static boolean matchesCommitment(String credentialId, OpenedField field, byte[] commitment) {
        return MessageDigest.isEqual(commitment(credentialId, field.name(), field.salt(), field.value()), commitment);
    }

    private static Cipher gcm(int mode, byte[] fieldKey, byte[] nonce, String credentialId, String name)
            throws GeneralSecurityException {
        if (fieldKey == null || fieldKey.length != KEY_LENGTH) {
            throw new CryptoException("a field key is 32 bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(fieldKey, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        cipher.updateAAD(Encoding.tagged(FIELD_AAD_TAG).lp(credentialId).lp(name).toBytes());
        return cipher;
    }
}
