package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A field's cryptography refuses keys and salts of the wrong size by name, draws fresh randomness for every salt, key
 * and nonce, and opens the shortest ciphertext the protocol allows.
 */
class FieldCryptoTest {
    static final String CREDENTIAL = "8d6e1dfc-5a69-43f7-8d98-680905e2ad2f";

    @Test
    void saltsCredentialKeysAndNoncesAreFreshEachTime() {
        assertThat(FieldCrypto.newSalt()).isNotEqualTo(new byte[FieldCrypto.SALT_LENGTH])
                .isNotEqualTo(FieldCrypto.newSalt());
        assertThat(FieldCrypto.newCredentialKey()).isNotEqualTo(new byte[FieldCrypto.KEY_LENGTH])
                .isNotEqualTo(FieldCrypto.newCredentialKey());
        byte[] key = FieldCrypto.newCredentialKey();
        byte[] salt = FieldCrypto.newSalt();
        byte[] first = FieldCrypto.encrypt(key, CREDENTIAL, "country", salt, "DE");
        byte[] second = FieldCrypto.encrypt(key, CREDENTIAL, "country", salt, "DE");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void credentialAndFieldKeysOfAnotherSizeAreRefusedByName() {
        assertThatThrownBy(() -> FieldCrypto.fieldKey(null, CREDENTIAL, "country"))
                .isInstanceOf(CryptoException.class).hasMessage("a credential key is 32 bytes");
        assertThatThrownBy(() -> FieldCrypto.fieldKey(new byte[31], CREDENTIAL, "country"))
                .isInstanceOf(CryptoException.class).hasMessage("a credential key is 32 bytes");
        // 16 bytes is a valid AES key: only the protocol's own check refuses it.
        assertThatThrownBy(() -> FieldCrypto.encrypt(new byte[16], CREDENTIAL, "country", FieldCrypto.newSalt(),
                "DE")).isInstanceOf(CryptoException.class).hasMessage("a field key is 32 bytes");
        byte[] ciphertext = FieldCrypto.encrypt(new byte[32], CREDENTIAL, "country", FieldCrypto.newSalt(), "DE");
        assertThatThrownBy(() -> FieldCrypto.decrypt(null, CREDENTIAL, "country", ciphertext))
                .isInstanceOf(CryptoException.class).hasMessage("a field key is 32 bytes");
    }

    @Test
    void aSaltOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> FieldCrypto.encrypt(new byte[32], CREDENTIAL, "country", new byte[15], "DE"))
                .isInstanceOf(CryptoException.class).hasMessage("a field salt is 16 bytes");
    }

    @Test
    void theShortestCiphertextIsAnEmptyValueAndAMissingOneIsNamed() {
        byte[] key = new byte[32];
        byte[] empty = FieldCrypto.encrypt(key, CREDENTIAL, "nickname", FieldCrypto.newSalt(), "");
        assertThat(empty).hasSize(FieldCrypto.MIN_CIPHERTEXT_LENGTH);
        assertThat(FieldCrypto.decrypt(key, CREDENTIAL, "nickname", empty).value()).isEmpty();
        assertThatThrownBy(() -> FieldCrypto.decrypt(key, CREDENTIAL, "nickname", null))
                .isInstanceOf(CryptoException.class).hasMessageContaining("ciphertext of field 'nickname' is missing");
    }

    @Test
    void anOpenedFieldNamesItselfButNeverItsValue() {
        byte[] key = new byte[32];
        FieldCrypto.OpenedField opened = FieldCrypto.decrypt(key, CREDENTIAL, "country", FieldCrypto.encrypt(key,
                CREDENTIAL, "country", FieldCrypto.newSalt(), "Zq-7431"));
        assertThat(opened.toString()).isEqualTo("OpenedField[country]");
    }
}
