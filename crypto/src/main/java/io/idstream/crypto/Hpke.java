package io.idstream.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * HPKE (RFC 9180) as docs/protocol.md section 3 fixes it: mode_base, single-shot, DHKEM(X25519, HKDF-SHA256) (0x0020),
 * HKDF-SHA256 (0x0001), AES-128-GCM (0x0001). Written out step by step from the RFC so each intermediate value can be
 * checked against appendix A.1's vectors.
 */
public final class Hpke {
    static final byte[] KEM_SUITE_ID = concat(ascii("KEM"), new byte[] {0x00, 0x20});
    static final byte[] HPKE_SUITE_ID = concat(ascii("HPKE"), new byte[] {0x00, 0x20, 0x00, 0x01, 0x00, 0x01});
    static final int KEY_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int ENC_LENGTH = 32;
    private static final int TAG_BITS = 128;
    private static final byte MODE_BASE = 0x00;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Hpke() {
    }

    /** Seals {@code plaintext} to the recipient's 32-byte X25519 public key. */
    public static Sealed seal(byte[] recipientPublicKey, byte[] info, byte[] aad, byte[] plaintext) {
        byte[] ikm = new byte[32];
        RANDOM.nextBytes(ikm);
        return sealWithEphemeralSeed(recipientPublicKey, info, aad, plaintext, ikm);
    }

    /** Seal with the ephemeral key derived from {@code ikmE}, as RFC 9180's test vectors do; for tests only. */
    static Sealed sealWithEphemeralSeed(byte[] recipientPublicKey, byte[] info, byte[] aad, byte[] plaintext,
                                        byte[] ikmE) {
        byte[] skE = deriveX25519PrivateKey(ikmE);
        EncryptionKeyPair ephemeral = EncryptionKeyPair.fromPrivateKey(skE);
        byte[] enc = ephemeral.publicKey();
        byte[] dh = ephemeral.agree(recipientPublicKey);
        byte[] sharedSecret = extractAndExpand(dh, concat(enc, recipientPublicKey));
        KeySchedule schedule = keySchedule(sharedSecret, info);
        return new Sealed(enc, aead(Cipher.ENCRYPT_MODE, schedule, aad, plaintext));
    }

    /** Opens a sealed value with the recipient's key pair; fails when anything was changed or the key is wrong. */
    public static byte[] open(EncryptionKeyPair recipient, byte[] info, byte[] aad, Sealed sealed) {
        byte[] enc = sealed.enc();
        if (enc.length != ENC_LENGTH) {
            throw new CryptoException("HPKE enc is " + enc.length + " bytes, expected 32");
        }
        byte[] dh = recipient.agree(enc);
        byte[] sharedSecret = extractAndExpand(dh, concat(enc, recipient.publicKey()));
        KeySchedule schedule = keySchedule(sharedSecret, info);
        return aead(Cipher.DECRYPT_MODE, schedule, aad, sealed.ct());
    }

    /** DeriveKeyPair for X25519 (RFC 9180 section 7.1.3): the private key from a seed. */
    static byte[] deriveX25519PrivateKey(byte[] ikm) {
        byte[] dkpPrk = labeledExtract(KEM_SUITE_ID, new byte[0], "dkp_prk", ikm);
        return labeledExpand(KEM_SUITE_ID, dkpPrk, "sk", new byte[0], 32);
    }

    static byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
        byte[] eaePrk = labeledExtract(KEM_SUITE_ID, new byte[0], "eae_prk", dh);
        return labeledExpand(KEM_SUITE_ID, eaePrk, "shared_secret", kemContext, 32);
    }

    record KeySchedule(byte[] key, byte[] baseNonce) {
    }

    static KeySchedule keySchedule(byte[] sharedSecret, byte[] info) {
        byte[] pskIdHash = labeledExtract(HPKE_SUITE_ID, new byte[0], "psk_id_hash", new byte[0]);
        byte[] infoHash = labeledExtract(HPKE_SUITE_ID, new byte[0], "info_hash", info);
        byte[] context = concat(new byte[] {MODE_BASE}, pskIdHash, infoHash);
        byte[] secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, "secret", new byte[0]);
        return new KeySchedule(labeledExpand(HPKE_SUITE_ID, secret, "key", context, KEY_LENGTH),
                labeledExpand(HPKE_SUITE_ID, secret, "base_nonce", context, NONCE_LENGTH));
    }

    private static byte[] aead(int mode, KeySchedule schedule, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            // Single-shot: sequence number 0, so the nonce is the base nonce itself.
            cipher.init(mode, new SecretKeySpec(schedule.key(), "AES"), new GCMParameterSpec(TAG_BITS,
                    schedule.baseNonce()));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new CryptoException("HPKE ciphertext does not open: wrong key, info or aad, or altered bytes");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HPKE AES-GCM failed: " + e.getClass().getSimpleName());
        }
    }

    static byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm) {
        return Hkdf.extract(salt, concat(ascii("HPKE-v1"), suiteId, ascii(label), ikm));
    }

    static byte[] labeledExpand(byte[] suiteId, byte[] prk, String label, byte[] info, int length) {
        byte[] labeledInfo = concat(new byte[] {(byte) (length >>> 8), (byte) length}, ascii("HPKE-v1"), suiteId,
                ascii(label), info);
        return Hkdf.expand(prk, labeledInfo, length);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
