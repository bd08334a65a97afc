package io.idstream.crypto;

/**
 * A cryptographic operation refused its input: a signature that does not verify, a ciphertext that does not open,
 * a key or encoding of the wrong shape. The message says which check failed and on what (ids, field names, sizes),
 * never a key or a plaintext value.
 */
public class CryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }
}
