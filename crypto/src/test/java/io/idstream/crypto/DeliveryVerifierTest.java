package io.idstream.crypto;

import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerification.Rejected;
import io.idstream.crypto.DeliveryVerification.Verified;
import io.idstream.crypto.Statements.Commitment;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.crypto.DeliveryFixture.flipped;
import static io.idstream.crypto.DeliveryFixture.grantWith;
import static io.idstream.crypto.DeliveryFixture.withCommitments;
import static io.idstream.crypto.DeliveryFixture.withDisclosed;
import static io.idstream.crypto.DeliveryFixture.withGrant;
import static io.idstream.crypto.DeliveryFixture.withIssuerSignature;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer verifies what it receives without trusting the platform: the genuine delivery opens to exactly the
 * granted values, and each forgery is refused whole, naming the check that failed, with no value returned.
 */
class DeliveryVerifierTest {
    final DeliveryFixture fixture = new DeliveryFixture();
    final Delivery genuine = fixture.delivery;
    final Delivery.GrantTerms grant = genuine.grant();

    @Test
    void genuineDeliveryOpensToTheGrantedValues() {
        DeliveryVerification result = fixture.verify(genuine);
        assertThat(result).isInstanceOf(Verified.class);
        assertThat(((Verified) result).values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "age_over_18", "true-for-alice", "country", "Wakanda-77"));
    }

    @Test
    void grantedButNotRequestedFieldsStayUndisclosed() {
        Delivery oneField = fixture.deliver(fixture.grant, List.of("country"));
        assertThat(((Verified) fixture.verify(oneField)).values()).containsOnlyKeys("country");
    }

    @Test
    void tamperedCiphertext() {
        List<Delivery.DisclosedField> disclosed = new ArrayList<>(genuine.disclosed());
        Delivery.DisclosedField country = disclosed.get(1);
        disclosed.set(1, new Delivery.DisclosedField("country", flipped(country.ciphertext(), 20)));
        assertRejected(withDisclosed(genuine, disclosed), Check.FIELD_DECRYPTION, "country");
    }

    @Test
    void fieldsSwapped() {
        Delivery.DisclosedField age = genuine.disclosed().get(0);
        Delivery.DisclosedField country = genuine.disclosed().get(1);
        Delivery swapped = withDisclosed(genuine, List.of(new Delivery.DisclosedField("age_over_18",
                country.ciphertext()), new Delivery.DisclosedField("country", age.ciphertext())));
        assertRejected(swapped, Check.FIELD_DECRYPTION, "age_over_18");
    }

    @Test
    void ciphertextFromAnotherCredentialFailsItsAad() {
        // Same holder, same issuer, same field name, another credential: the AAD binds the credential id.
        Credentials.IssuedCredential other = Credentials.issue(fixture.issuer, new Statements.CredentialHeader(
                UUID.randomUUID().toString(), "alice", "kyc-co", "kyc", 1L, 0L),
                fixture.holderEncryption.publicKey(), DeliveryFixture.VALUES);
        byte[] foreignCountry = other.fields().stream().filter(f -> f.name().equals("country")).findFirst()
                .orElseThrow().ciphertext();
        Delivery forged = withDisclosed(genuine, List.of(genuine.disclosed().get(0),
                new Delivery.DisclosedField("country", foreignCountry)));
        assertRejected(forged, Check.FIELD_DECRYPTION, "country");
    }

    @Test
    void anotherConsumersKeyOpensNothing() {
        DeliveryVerification result = new DeliveryVerifier(EncryptionKeyPair.generate())
                .verify(genuine, fixture.issuer.publicKey(), fixture.holder.publicKey());
        assertThat(result).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.failedCheck()).isEqualTo(Check.KEY_PACKAGE));
    }

    @Test
    void forgedOrMissingIssuerSignature() {
        assertRejected(withIssuerSignature(genuine, flipped(genuine.issuerSignature(), 5)), Check.ISSUER_SIGNATURE,
                "does not verify");
        assertRejected(withIssuerSignature(genuine, new byte[0]), Check.ISSUER_SIGNATURE, "0 bytes");
        assertRejected(withIssuerSignature(genuine, Arrays.copyOf(genuine.issuerSignature(), 63)),
                Check.ISSUER_SIGNATURE, "63 bytes");
        byte[] byAnotherIssuer = SigningKeyPair.generate().sign(ToBeSigned.credential(fixture.header,
                genuine.commitments()));
        assertRejected(withIssuerSignature(genuine, byAnotherIssuer), Check.ISSUER_SIGNATURE, "does not verify");
        assertRejected(DeliveryFixture.withType(genuine, "kyc-premium"), Check.ISSUER_SIGNATURE, "does not verify");
    }

    @Test
    void alteredCommitmentBreaksTheIssuerSignature() {
        List<Commitment> commitments = new ArrayList<>(genuine.commitments());
        Commitment country = commitments.get(1);
        commitments.set(1, new Commitment(country.name(), flipped(country.commitment(), 0)));
        assertRejected(withCommitments(genuine, commitments), Check.ISSUER_SIGNATURE, "does not verify");
    }

    @Test
    void forgedOrMissingHolderSignature() {
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), flipped(grant.holderSignature(), 9))),
                Check.HOLDER_SIGNATURE, "does not verify");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), new byte[0])), Check.HOLDER_SIGNATURE, "0 bytes");
    }

    @Test
    void widenedGrantTerms() {
        List<String> wider = List.of("age_over_18", "country", "full_name");
        assertRejected(withGrant(genuine, grantWith(grant, wider, grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.HOLDER_SIGNATURE,
                "does not verify");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), 0L, grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.HOLDER_SIGNATURE,
                "does not verify");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), 0,
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature())), Check.HOLDER_SIGNATURE,
                "does not verify");
    }

    @Test
    void redatedGrant() {
        // A grant re-dated to look freshly issued: the issue time is signed, so the signature no longer covers it.
        Delivery.GrantTerms redated = new Delivery.GrantTerms(grant.grantId(), grant.requestId(), grant.purpose(),
                grant.issuedAt() + 1, grant.fields(), grant.notBefore(), grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), grant.keysCiphertext(), grant.holderSignature());
        assertRejected(withGrant(genuine, redated), Check.HOLDER_SIGNATURE, "does not verify");
    }

    @Test
    void undisclosedFieldSmuggledIntoTheDelivery() {
        Delivery.DisclosedField fullName = fixture.credential.fields().stream()
                .filter(f -> f.name().equals("full_name")).findFirst()
                .map(f -> new Delivery.DisclosedField(f.name(), f.ciphertext())).orElseThrow();
        List<Delivery.DisclosedField> disclosed = new ArrayList<>(genuine.disclosed());
        disclosed.add(fullName);
        assertRejected(withDisclosed(genuine, disclosed), Check.STRUCTURE, "not among the granted fields");
    }

    @Test
    void keyPackageHoldingMoreKeysThanTheGrantNames() {
        // A holder's package that carries full_name's key too, though the signed grant names two fields.
        byte[] credentialKey = Credentials.unwrapCredentialKey(fixture.holderEncryption, fixture.header,
                fixture.credential.holderKey());
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String name : List.of("age_over_18", "country", "full_name")) {
            keys.put(name, FieldCrypto.fieldKey(credentialKey, fixture.header.credentialId(), name));
        }
        Sealed sealed = Grants.sealKeyPackage(fixture.consumerEncryption.publicKey(), grant.grantId(),
                fixture.header.credentialId(), genuine.consumerId(), keys);
        Statements.GrantStatement statement = new Statements.GrantStatement(grant.grantId(), genuine.holderId(),
                genuine.consumerId(), genuine.credentialId(), grant.requestId(), grant.purpose(), grant.issuedAt(),
                grant.notBefore(), grant.expiresAt(), grant.maxUses(), grant.fields(), sealed.enc(), sealed.ct());
        byte[] signature = fixture.holder.sign(ToBeSigned.grant(statement));
        Delivery forged = withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), grant.maxUses(),
                sealed.enc(), sealed.ct(), signature));
        assertRejected(forged, Check.KEY_PACKAGE, "full_name");
    }

    @Test
    void truncatedAndOversizeInputs() {
        Delivery.DisclosedField country = genuine.disclosed().get(1);
        assertRejected(withDisclosed(genuine, List.of(genuine.disclosed().get(0),
                new Delivery.DisclosedField("country", Arrays.copyOf(country.ciphertext(), 20)))),
                Check.FIELD_DECRYPTION, "shorter than");
        assertRejected(withDisclosed(genuine, List.of(genuine.disclosed().get(0),
                new Delivery.DisclosedField("country", Arrays.copyOf(country.ciphertext(),
                        country.ciphertext().length + 1)))), Check.FIELD_DECRYPTION, "does not open");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), grant.maxUses(),
                grant.keysEnc(), Arrays.copyOf(grant.keysCiphertext(), 10), grant.holderSignature())),
                Check.HOLDER_SIGNATURE, "does not verify");
        assertRejected(withGrant(genuine, grantWith(grant, grant.fields(), grant.expiresAt(), grant.maxUses(),
                Arrays.copyOf(grant.keysEnc(), 33), grant.keysCiphertext(), grant.holderSignature())),
                Check.HOLDER_SIGNATURE, "does not verify");
        List<Commitment> shortCommitment = new ArrayList<>(genuine.commitments());
        shortCommitment.set(0, new Commitment(shortCommitment.get(0).name(),
                Arrays.copyOf(shortCommitment.get(0).commitment(), 31)));
        assertRejected(withCommitments(genuine, shortCommitment), Check.STRUCTURE, "not 32 bytes");
    }

    @Test
    void unsortedOrRepeatedCommitments() {
        List<Commitment> reversed = new ArrayList<>(genuine.commitments());
        Collections.reverse(reversed);
        assertRejected(withCommitments(genuine, reversed), Check.STRUCTURE, "ascending name order");
        List<Commitment> repeated = new ArrayList<>(genuine.commitments());
        repeated.add(1, repeated.get(0));
        assertRejected(withCommitments(genuine, repeated), Check.STRUCTURE, "ascending name order");
    }

    @Test
    void deliveryOutsideTheGrantWindow() {
        assertRejected(DeliveryFixture.deliveredAt(genuine, grant.expiresAt()), Check.GRANT_WINDOW, "outside");
        assertRejected(DeliveryFixture.deliveredAt(genuine, grant.notBefore() - 1), Check.GRANT_WINDOW, "outside");
    }

    @Test
    void missingParts() {
        assertRejected(withGrant(genuine, null), Check.STRUCTURE, "lacks");
        assertRejected(withDisclosed(genuine, null), Check.STRUCTURE, "lacks");
    }

    private void assertRejected(Delivery forged, Check check, String reasonPart) {
        DeliveryVerification result = fixture.verify(forged);
        assertThat(result.verified()).isFalse();
        assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.failedCheck()).isEqualTo(check);
            assertThat(rejected.reason()).contains(reasonPart);
            SecretHygieneTest.assertNoSecretIn(fixture, rejected.reason());
            SecretHygieneTest.assertNoSecretIn(fixture, rejected.toString());
        });
    }

    /**
     * The delivery checks that only a signer could trip: terms a genuine holder or issuer signed that the consumer must
     * still refuse, each naming its check, and the edges of the ranges and the window that must still pass.
     */
    @Nested
    class SignedTermsStillRefused {

        @Test
        void aValueThatDoesNotMatchTheCommitmentTheIssuerSignedIsRefused() {
            // The issuer signs a commitment to another country; the ciphertext still opens under the granted key.
            List<Commitment> commitments = new ArrayList<>(genuine.commitments());
            int country = commitments.stream().map(Commitment::name).toList().indexOf("country");
            commitments.set(country, new Commitment("country", FieldCrypto.commitment(fixture.header.credentialId(),
                    "country", FieldCrypto.newSalt(), "Elsewhere-12")));
            byte[] issuerSignature = fixture.issuer.sign(ToBeSigned.credential(fixture.header, commitments));
            Delivery forged = DeliveryFixture.withIssuerSignature(withCommitments(genuine, commitments),
                    issuerSignature);

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
                    genuine.commitments(), genuine.disclosed(), genuine.issuerSignature(), grant,
                    genuine.deliveredAt());
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
                    genuine.consumerId(), genuine.credentialId(), grant.requestId(), grant.purpose(), grant.issuedAt(),
                    grant.notBefore(), grant.expiresAt(), maxUses, fields, sealed.enc(), sealed.ct());
            byte[] signature = fixture.holder.sign(ToBeSigned.grant(statement));
            return withGrant(genuine, grantWith(grant, fields, grant.expiresAt(), maxUses, sealed.enc(), sealed.ct(),
                    signature));
        }
    }
}
