package io.idstream.sdk;

import io.idstream.avro.Accreditation;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.idstream.sdk.TrustedDirectory.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A credential its issuer signed before rotating its key stays verifiable (docs/protocol.md section 10): under the
 * earlier key the directory keeps, for a credential issued before that key was replaced, and only under an
 * accreditation of that very key that a pinned operator key signed; the issuer must be accredited now as well. The
 * consumer checks a delivery so, and the holder its credential. The fixture's credential was issued at 1000 under the
 * key the issuer then replaced at 5000.
 */
class EarlierIssuerKeysTest {
    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    final DeliveryFixture fixture = new DeliveryFixture();
    final SigningKeyPair operator = SigningKeyPair.generate();
    final SigningKeyPair newKey = SigningKeyPair.generate();
    final Grant grant = fixture.grant(List.of("country"));
    final Map<String, VerifiedPrincipal> directory = new HashMap<>(Map.of(
            "alice", entry("alice", "holder", fixture.holder.signing())));
    final RecordingGateway server = new RecordingGateway();

    EarlierIssuerKeysTest() throws IOException {
        directory.put("kyc-co", rotatedIssuer(accreditationOf(fixture.issuer, operator), 5_000L));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Accreditation accreditationOf(SigningKeyPair key, SigningKeyPair by) {
        return PrincipalRecords.accreditation(by, new AccreditationStatement("kyc-co", "issuer", key.publicKey(),
                1_200L));
    }

    /**
     * kyc-co after its rotation: new keys registered at 5000 with the old key's signature, the new key accredited by
     * the pinned operator key, the old key kept with {@code earlierAccreditation}, replaced at {@code replacedAt}.
     */
    private VerifiedPrincipal rotatedIssuer(Accreditation earlierAccreditation, long replacedAt) {
        return new VerifiedPrincipal(PrincipalRecords.registration(fixture.issuer, new PrincipalStatement("kyc-co",
                "issuer", newKey.publicKey(), EncryptionKeyPair.generate().publicKey(), "KYC Co", replacedAt)),
                accreditationOf(newKey, operator), 6_000L, null, 6_000L, List.of(new PreviousKey(
                ByteBuffer.wrap(fixture.issuer.publicKey()), 1_000L, replacedAt, earlierAccreditation)));
    }

    /** kyc-co's entry of {@link #rotatedIssuer}, registered at {@code registeredAt}, keeping {@code previous}. */
    private VerifiedPrincipal rotatedIssuerKeeping(long registeredAt, PreviousKey... previous) {
        return VerifiedPrincipal.newBuilder(rotatedIssuer(accreditationOf(fixture.issuer, operator), registeredAt))
                .setPreviousKeys(List.of(previous)).build();
    }

    private PreviousKey earlier(SigningKeyPair key, long registeredAt, long replacedAt) {
        return new PreviousKey(ByteBuffer.wrap(key.publicKey()), registeredAt, replacedAt,
                accreditationOf(key, operator));
    }

    private DeliveryOutcome verify() {
        return new ConsumerTrust(List.of(operator.publicKey())).verify(
                new DeliveryVerifier(fixture.consumer.encryption()), id -> Optional.ofNullable(directory.get(id)),
                new DeliveryEvent(fixture.delivery(grant, List.of("country"))), 7_000L);
    }

    private static void assertRefused(DeliveryOutcome outcome, Check check, String... reasons) {
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Refused.class, refused -> {
            assertThat(refused.failedCheck()).isEqualTo(check);
            assertThat(refused.reason()).contains(reasons);
        });
    }

    @Test
    void aDeliveryOfACredentialSignedBeforeTheIssuersRotationIsDelivered() {
        assertThat(verify()).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                delivered -> assertThat(delivered.values()).isEqualTo(Map.of("country", "DE")));
    }

    @Test
    void anEarlierKeyAccreditedByAnOperatorKeyTheConsumerDoesNotPinDoesNotCount() {
        SigningKeyPair rogue = SigningKeyPair.generate();
        directory.put("kyc-co", rotatedIssuer(accreditationOf(fixture.issuer, rogue), 5_000L));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "no earlier key of 'kyc-co' counts",
                "which this consumer does not pin");
    }

    @Test
    void anEarlierKeyWithoutAnAccreditationDoesNotCount() {
        directory.put("kyc-co", rotatedIssuer(null, 5_000L));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "no earlier key of 'kyc-co' counts",
                "issuer 'kyc-co' is not accredited");
    }

    @Test
    void anAccreditationOfAnotherKeyDoesNotMakeTheEarlierKeyCount() {
        directory.put("kyc-co", rotatedIssuer(accreditationOf(newKey, operator), 5_000L));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "does not vouch for its id, the role issuer and that key");
    }

    @Test
    void aCredentialIssuedOnceTheEarlierKeyWasReplacedIsRefused() {
        directory.put("kyc-co", rotatedIssuer(accreditationOf(fixture.issuer, operator), 1_000L));

        assertRefused(verify(), Check.ISSUER_SIGNATURE,
                "was replaced at 1000, not after the credential's issuedAt 1000");
    }

    @Test
    void theOldKeyKeptTwiceTheSecondTimeAsNeverReplacedDoesNotCount() {
        // Given the old key, replaced at 1000 (so not for the credential of 1000), kept again as replaced "never";
        // the true entry last, where the key that signed the rotation is looked for
        directory.put("kyc-co", rotatedIssuerKeeping(1_000L, earlier(fixture.issuer, 500L, Long.MAX_VALUE),
                earlier(fixture.issuer, 500L, 1_000L)));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "the earlier keys of 'kyc-co' are not as rotations keep "
                + "them", "kept twice");
    }

    @Test
    void anEarlierKeyReplacedAfterTheEntrysOwnRegistrationDoesNotCount() {
        // Given the old key, claimed replaced at 7000, after the registration of 1000 that replaced it
        directory.put("kyc-co", rotatedIssuerKeeping(1_000L, earlier(fixture.issuer, 500L, 7_000L)));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "the earlier keys of 'kyc-co' are not as rotations keep "
                + "them", "replaced at 7000, after the entry's registration at 1000");
    }

    @Test
    void earlierKeysOutOfTheOrderOfTheirReplacementDoNotCount() {
        // Given a key replaced at 5000 listed before one replaced at 3000, which rotations never write
        directory.put("kyc-co", rotatedIssuerKeeping(5_000L, earlier(fixture.issuer, 500L, 5_000L),
                earlier(SigningKeyPair.generate(), 300L, 3_000L)));

        assertRefused(verify(), Check.ISSUER_SIGNATURE, "the earlier keys of 'kyc-co' are not as rotations keep "
                + "them", "replaced at 3000, before the key listed ahead of it");
    }

    @Test
    void theIssuerMustStillBeAccreditedNow() {
        directory.put("kyc-co", VerifiedPrincipal.newBuilder(directory.get("kyc-co")).setAccreditation(null).build());

        assertRefused(verify(), Check.ISSUER_ACCREDITATION, "issuer 'kyc-co' is not accredited");
    }

    private HolderClient holderOverGateway() {
        server.answer("GET", "/v1/holders/alice/credentials/" + fixture.credential.getCredentialId(), 200,
                RecordingGateway.json(fixture.stored(CredentialStatus.ACTIVE)));
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(directory.get("kyc-co")));
        return new HolderClient(fixture.holder, new GatewayConnection(server.url(), fixture.holder),
                ConsumerTrust.forHolder(List.of(operator.publicKey())));
    }

    @Test
    void theHolderOpensACredentialSignedBeforeTheIssuersRotation() {
        try (HolderClient alice = holderOverGateway()) {
            assertThat(alice.open(fixture.credential.getCredentialId())).containsEntry("country", "DE");
        }
    }

    @Test
    void theHolderDoesNotOpenACredentialOnlyAnEarlierKeyKeptTwiceWouldVerify() {
        directory.put("kyc-co", rotatedIssuerKeeping(1_000L, earlier(fixture.issuer, 500L, Long.MAX_VALUE),
                earlier(fixture.issuer, 500L, 1_000L)));

        try (HolderClient alice = holderOverGateway()) {
            assertThatThrownBy(() -> alice.open(fixture.credential.getCredentialId()))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("the earlier keys of 'kyc-co' are not as rotations keep them");
        }
    }

    @Test
    void theHolderDoesNotTrustARotationSignedByAKeyNoPinnedOperatorKeyVouchesFor() {
        directory.put("kyc-co", rotatedIssuer(accreditationOf(fixture.issuer, SigningKeyPair.generate()), 5_000L));

        try (HolderClient alice = holderOverGateway()) {
            assertThatThrownBy(() -> alice.open(fixture.credential.getCredentialId()))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("the registration of 'kyc-co' is signed by the key it replaced, which "
                            + "nothing this holder trusts vouches for");
        }
    }
}
