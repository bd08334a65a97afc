package io.idstream.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** HKDF-SHA256 (RFC 5869): extract and expand. */
final class Hkdf {
    static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    static byte[] extract(byte[] salt, byte[] ikm) {
        // An absent salt is HashLen zero bytes (RFC 5869 section 2.2).
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return hmac(key, ikm);
    }

    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length > 255 * HASH_LENGTH) {
            throw new CryptoException("HKDF cannot expand to " + length + " bytes");
        }
        byte[] okm = new byte[length];
        byte[] block = new byte[0];
        int written = 0;
        for (int counter = 1; written < length; counter++) {
            byte[] input = new byte[block.length + info.length + 1];
            System.arraycopy(block, 0, input, 0, block.length);
            System.arraycopy(info, 0, input, block.length, info.length);
            input[input.length - 1] = (byte) counter;
            block = hmac(prk, input);
            int take = Math.min(block.length, length - written);
            System.arraycopy(block, 0, okm, written, take);
            written += take;
        }
        return okm;
    }

    static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
