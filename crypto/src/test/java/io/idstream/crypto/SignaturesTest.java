package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signature checks on keys never seen before (no decoded point kept for them), and on missing or mis-sized inputs,
 * which are refused by name rather than by whatever a null provokes.
 */
class SignaturesTest {
    static final byte[] MESSAGE = "idstream/v1/test".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFreshKeysSignatureVerifiesAndAnotherKeysDoesNot() {
        SigningKeyPair signer = SigningKeyPair.generate();
        SigningKeyPair other = SigningKeyPair.generate();
        byte[] signature = signer.sign(MESSAGE);
        assertThat(Signatures.isValid(signer.publicKey(), MESSAGE, signature)).isTrue();
        assertThat(Signatures.isValid(other.publicKey(), MESSAGE, signature)).isFalse();
        assertThat(Signatures.isValid(signer.publicKey(), MESSAGE, other.sign(MESSAGE))).isFalse();
    }

    @Test
    void missingOrMisSizedInputsAreInvalidNotErrors() {
        SigningKeyPair signer = SigningKeyPair.generate();
        byte[] signature = signer.sign(MESSAGE);
        assertThat(Signatures.isValid(null, MESSAGE, signature)).isFalse();
        assertThat(Signatures.isValid(signer.publicKey(), MESSAGE, null)).isFalse();
        assertThat(Signatures.isValid(signer.publicKey(), null, signature)).isFalse();
        assertThat(Signatures.isValid(new byte[31], MESSAGE, signature)).isFalse();
        assertThat(Signatures.isValid(signer.publicKey(), MESSAGE, new byte[63])).isFalse();
        // A genuine signature with a byte appended: Ed25519 would read its first 64 bytes and accept it.
        assertThat(Signatures.isValid(signer.publicKey(), MESSAGE, Arrays.copyOf(signature, 65))).isFalse();
    }

    @Test
    void verifyNamesAMissingKeyOrSignature() {
        SigningKeyPair signer = SigningKeyPair.generate();
        assertThatThrownBy(() -> Signatures.verify("holder signature of grant g", null, MESSAGE,
                signer.sign(MESSAGE))).isInstanceOf(CryptoException.class)
                .hasMessage("holder signature of grant g: the signing key is not a 32-byte Ed25519 public key");
        assertThatThrownBy(() -> Signatures.verify("holder signature of grant g", signer.publicKey(), MESSAGE,
                null)).isInstanceOf(CryptoException.class)
                .hasMessage("holder signature of grant g: the signature is missing, expected 64");
        assertThatThrownBy(() -> Signatures.verify("holder signature of grant g", new byte[31], MESSAGE,
                signer.sign(MESSAGE))).isInstanceOf(CryptoException.class)
                .hasMessage("holder signature of grant g: the signing key is not a 32-byte Ed25519 public key");
    }
}
