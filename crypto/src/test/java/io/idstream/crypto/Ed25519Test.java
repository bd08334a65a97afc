package io.idstream.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.idstream.crypto.Hex.bytes;
import static io.idstream.crypto.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8032 section 7.1, TEST 1 and TEST 2. */
class Ed25519Test {
    @ParameterizedTest
    @CsvSource({
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,"
                + "'',"
                + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,"
                + "72,"
                + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    })
    void signsAndVerifiesTheRfcVectors(String secret, String publicKey, String message, String signature) {
        SigningKeyPair keys = SigningKeyPair.fromPrivateKey(bytes(secret));
        byte[] msg = bytes(message);

        assertThat(hex(keys.publicKey())).isEqualTo(publicKey);
        assertThat(hex(keys.sign(msg))).isEqualTo(signature);
        assertThat(Signatures.isValid(bytes(publicKey), msg, bytes(signature))).isTrue();

        byte[] forged = bytes(signature);
        forged[0] ^= 1;
        assertThat(Signatures.isValid(bytes(publicKey), msg, forged)).isFalse();
        assertThat(Signatures.isValid(bytes(publicKey), bytes(message + "00"), bytes(signature))).isFalse();
        assertThat(Signatures.isValid(bytes(publicKey), msg, new byte[63])).isFalse();
    }
}
