package io.idstream.crypto;

import io.idstream.crypto.Statements.Commitment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issuer's side and the holder's open of a credential: what an issuer may not sign, a signature that covers the
 * commitments only in protocol order, and a holder who refuses a value the issuer did not commit to.
 */
class CredentialsTest {
    final DeliveryFixture fixture = new DeliveryFixture();

    @Test
    void commitmentsOutOfOrderAreRefusedThoughTheSignatureCoversThemSorted() {
        List<Commitment> reversed = new ArrayList<>(fixture.credential.commitments());
        Collections.reverse(reversed);
        assertThatThrownBy(() -> Credentials.verifyIssuerSignature(fixture.issuer.publicKey(), fixture.header,
                reversed, fixture.credential.issuerSignature())).isInstanceOf(CryptoException.class)
                .hasMessageContaining("commitments are not in ascending name order or repeat a name");
    }

    @Test
    void anIssuerCannotSignAnEmptyCredentialOrAFieldWithoutAValue() {
        assertThatThrownBy(() -> Credentials.issue(fixture.issuer, fixture.header,
                fixture.holderEncryption.publicKey(), Map.of())).isInstanceOf(CryptoException.class)
                .hasMessage("a credential needs at least one field");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("country", null);
        assertThatThrownBy(() -> Credentials.issue(fixture.issuer, fixture.header,
                fixture.holderEncryption.publicKey(), withNull)).isInstanceOf(CryptoException.class)
                .hasMessage("field 'country' has no value");
    }

    @Test
    void aCredentialKeyOfAnotherLengthIsRefused() {
        Sealed shortKey = Hpke.seal(fixture.holderEncryption.publicKey(), Hpke.ascii(Credentials.HOLDER_KEY_INFO),
                Credentials.holderKeyAad(fixture.header.credentialId(), fixture.header.holderId()), new byte[31]);
        assertThatThrownBy(() -> Credentials.unwrapCredentialKey(fixture.holderEncryption, fixture.header,
                shortKey)).isInstanceOf(CryptoException.class).hasMessageContaining("is 31 bytes, expected 32");
    }

    @Test
    void theHolderRefusesAValueThatDoesNotMatchItsSignedCommitment() {
        List<Credentials.SealedField> fields = new ArrayList<>(fixture.credential.fields());
        Credentials.SealedField country = fields.stream().filter(f -> f.name().equals("country")).findFirst()
                .orElseThrow();
        fields.set(fields.indexOf(country), new Credentials.SealedField("country", FieldCrypto.commitment(
                fixture.header.credentialId(), "country", FieldCrypto.newSalt(), "Elsewhere-12"),
                country.ciphertext()));
        Credentials.IssuedCredential altered = new Credentials.IssuedCredential(fixture.header, fields,
                fixture.credential.holderKey(), fixture.credential.issuerSignature());
        assertThatThrownBy(() -> Credentials.open(fixture.holderEncryption, altered))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("field 'country' of credential " + fixture.header.credentialId()
                        + " does not match its signed commitment");
    }
}
