package io.idstream.crypto;

import java.util.Arrays;

/** An HPKE single-shot ciphertext: the 32-byte encapsulated key {@code enc} and the AEAD ciphertext {@code ct}. */
public record Sealed(byte[] enc, byte[] ct) {
    public Sealed {
        enc = enc.clone();
        ct = ct.clone();
    }

    @Override
    public byte[] enc() {
        return enc.clone();
    }

    @Override
    public byte[] ct() {
        return ct.clone();
    }

    @Override
    public String toString() {
        return "Sealed[enc=" + enc.length + " bytes, ct=" + ct.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sealed s && Arrays.equals(enc, s.enc) && Arrays.equals(ct, s.ct);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(enc) + Arrays.hashCode(ct);
    }
}
