package io.idstream.crypto;

import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerification.Rejected;
import io.idstream.crypto.DeliveryVerification.Verified;
import io.idstream.crypto.Statements.Commitment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.idstream.crypto.DeliveryFixture.grantWith;
import static io.idstream.crypto.DeliveryFixture.withCommitments;
import static io.idstream.crypto.DeliveryFixture.withGrant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery checks that only a signer could trip: terms a genuine holder or issuer signed that the consumer must
 * still refuse, each naming its check, and the edges of the ranges and the window that must still pass.
 */
class DeliveryVerifierChecksTest {
    final DeliveryFixture fixture = new DeliveryFixture();
    final Delivery genuine = fixture.delivery;
    final Delivery.GrantTerms grant = genuine.grant();

    @Test
    void aValueThatDoesNotMatchTheCommitmentTheIssuerSignedIsRefused() {
        // The issuer signs a commitment to another country; the ciphertext still opens under the granted key.
        List<Commitment> commitments = new ArrayList<>(genuine.commitments());
        int country = commitments.stream().map(Commitment::name).toList().indexOf("country");
        commitments.set(country, new Commitment("country", FieldCrypto.commitment(fixture.header.credentialId(),
                "country", FieldCrypto.newSalt(), "Elsewhere-12")));
        byte[] issuerSignature = fixture.issuer.sign(ToBeSigned.credential(fixture.header, commitments));
        Delivery forged = DeliveryFixture.withIssuerSignature(withCommitments(genuine, commitments), issuerSignature);

        assertRejected(forged, Check.COMMITMENT, "field 'country' does not match the commitment");
    }

    @Test
    void aDeliveryAtTheFirstInstantOfTheWindowOpens() {
        DeliveryVerification result = fixture.verify(DeliveryFixture.deliveredAt(genuine, grant.notBefore()));
        assertThat(result).isInstanceOfSatisfying(Verified.class,
                v -> assertThat(v.values()).containsOnlyKeys("age_over_18", "country"));
    }

    @Test
    void missingCommitmentsOrGrantedFieldsAreRefusedAsLackingThem() {
        assertRejected(withCommitments(genuine, null), Check.STRUCTURE, "lacks its grant, commitments");
        assertRejected(withGrant(genuine, grantWith(grant, null, grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.STRUCTURE,
                "lacks its grant, commitments");
    }

    @Test
    void aMissingCommitmentValueIsRefusedAsNot32Bytes() {
        List<Commitment> commitments = new ArrayList<>(genuine.commitments());
        commitments.set(0, new Commitment(commitments.get(0).name(), null));
        assertRejected(withCommitments(genuine, commitments), Check.STRUCTURE, "is not 32 bytes");
    }

    @Test
    void grantedFieldsOutOfOrderAreRefusedThoughTheSignatureCoversThemSorted() {
        Delivery reordered = withGrant(genuine, grantWith(grant, List.of("country", "age_over_18"),
                grant.expiresAt(), grant.maxUses(), grant.keysEnc(), grant.keysCiphertext(),
                grant.holderSignature()));
        assertRejected(reordered, Check.STRUCTURE, "granted fields are not in ascending name order");
    }

    @Test
    void disclosedFieldsOutOfOrderOrRepeatedAreRefused() {
        List<Delivery.DisclosedField> reversed = new ArrayList<>(genuine.disclosed());
        Collections.reverse(reversed);
        assertRejected(DeliveryFixture.withDisclosed(genuine, reversed), Check.STRUCTURE,
                "disclosed fields are not in ascending name order or repeat a name");
        List<Delivery.DisclosedField> repeated = List.of(genuine.disclosed().get(0), genuine.disclosed().get(0));
        assertRejected(DeliveryFixture.withDisclosed(genuine, repeated), Check.STRUCTURE,
                "disclosed fields are not in ascending name order or repeat a name");
    }

    @Test
    void aHolderSignedGrantOfAFieldTheCredentialLacksIsRefused() {
        Delivery forged = holderSigned(List.of("age_over_18", "country", "nickname"), grant.maxUses());
        assertRejected(forged, Check.STRUCTURE, "the grant names fields the credential does not have");
    }

    @Test
    void maxUsesAtTheEdgesOfU32OpensAndBeyondIsRefused() {
        assertThat(fixture.verify(holderSigned(grant.fields(), 0))).isInstanceOf(Verified.class);
        assertThat(fixture.verify(holderSigned(grant.fields(), 0xFFFF_FFFFL))).isInstanceOf(Verified.class);
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), -1,
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.STRUCTURE,
                "maxUses is out of range");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), 0x1_0000_0000L,
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.STRUCTURE,
                "maxUses is out of range");
    }

    @Test
    void whateverElseAMalformedDeliveryProvokesIsRefusedAsMalformed() {
        Delivery noCredentialId = new Delivery(genuine.requestId(), genuine.consumerId(), genuine.holderId(),
                genuine.issuerId(), null, genuine.type(), genuine.issuedAt(), genuine.expiresAt(),
                genuine.commitments(), genuine.disclosed(), genuine.issuerSignature(), grant, genuine.deliveredAt());
        assertRejected(noCredentialId, Check.STRUCTURE, "delivery is malformed: NullPointerException");
    }

    /** The genuine delivery with a grant of {@code fields} and {@code maxUses} that the holder really signed. */
    private Delivery holderSigned(List<String> fields, long maxUses) {
        byte[] credentialKey = Credentials.unwrapCredentialKey(fixture.holderEncryption, fixture.header,
                fixture.credential.holderKey());
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : fields) {
            keys.put(name, FieldCrypto.fieldKey(credentialKey, fixture.header.credentialId(), name));
        }
        Sealed sealed = Grants.sealKeyPackage(fixture.consumerEncryption.publicKey(), grant.grantId(),
                fixture.header.credentialId(), genuine.consumerId(), keys);
        Statements.GrantStatement statement = new Statements.GrantStatement(grant.grantId(), genuine.holderId(),
                genuine.consumerId(), genuine.credentialId(), grant.requestId(), grant.purpose(), grant.notBefore(),
                grant.expiresAt(), maxUses, fields, sealed.enc(), sealed.ct());
        byte[] signature = fixture.holder.sign(ToBeSigned.grant(statement));
        return withGrant(genuine, grantWith(grant, fields, grant.expiresAt(), maxUses, sealed.enc(), sealed.ct(),
                signature));
    }

    private void assertRejected(Delivery forged, Check check, String reasonPart) {
        DeliveryVerification result = fixture.verify(forged);
        assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.failedCheck()).isEqualTo(check);
            assertThat(rejected.reason()).contains(reasonPart);
        });
    }
}
