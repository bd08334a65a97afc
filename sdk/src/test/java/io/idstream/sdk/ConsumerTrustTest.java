package io.idstream.sdk;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static io.idstream.sdk.TrustedDirectory.accredited;
import static io.idstream.sdk.TrustedDirectory.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a consumer trusts besides the delivery's signatures (docs/protocol.md section 8): the issuer's accreditation
 * under an operator key it pins, the credential's expiry by its own clock, and the signed statement of a notice that
 * ends access. The directory is a map of entries as the processors would publish them, forgeries included.
 */
class ConsumerTrustTest {
    static final long NOW = 3_000L;

    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    final DeliveryFixture fixture = new DeliveryFixture();
    final DeliveryVerifier verifier = new DeliveryVerifier(fixture.consumer.encryption());
    final SigningKeyPair operator = SigningKeyPair.generate();
    final Map<String, VerifiedPrincipal> directory = new HashMap<>(Map.of(
            "kyc-co", accredited(entry("kyc-co", "issuer", fixture.issuer), operator),
            "alice", entry("alice", "holder", fixture.holder.signing())));
    final Grant grant = fixture.grant(List.of("country"));
    ConsumerTrust trust = new ConsumerTrust(List.of(operator.publicKey()));

    private DeliveryOutcome verify(DeliveryFixture parties, CredentialDelivery delivery) {
        return trust.verify(new DeliveryVerifier(parties.consumer.encryption()),
                id -> Optional.ofNullable(directory.get(id)), new DeliveryEvent(delivery), NOW);
    }

    private DeliveryOutcome verify(CredentialDelivery delivery) {
        return verify(fixture, delivery);
    }

    private static void assertRefused(DeliveryOutcome outcome, Check check, String reason) {
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Refused.class, refused -> {
            assertThat(refused.failedCheck()).isEqualTo(check);
            assertThat(refused.reason()).contains(reason);
        });
    }

    @Nested
    class IssuerAccreditation {
        @Test
        void aDeliveryFromAnIssuerAccreditedByAPinnedOperatorKeyIsDelivered() {
            assertThat(verify(fixture.delivery(grant, List.of("country")))).isInstanceOfSatisfying(
                    DeliveryOutcome.Delivered.class,
                    delivered -> assertThat(delivered.values()).isEqualTo(Map.of("country", "DE")));
        }

        @Test
        void anIssuerAccreditedByAnOperatorKeyTheConsumerDoesNotPinIsRefused() {
            SigningKeyPair otherOperator = SigningKeyPair.generate();
            directory.put("kyc-co", accredited(entry("kyc-co", "issuer", fixture.issuer), otherOperator));

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "accredited by operator key " + HexFormat.of().formatHex(otherOperator.publicKey())
                            + ", which this consumer does not pin");
        }

        @Test
        void anIssuerTheDirectoryShowsUnaccreditedIsRefused() {
            directory.put("kyc-co", entry("kyc-co", "issuer", fixture.issuer));

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "issuer 'kyc-co' is not accredited");
        }

        @Test
        void anAccreditationNamingAPinnedKeyButSignedByAnotherIsRefused() {
            // The directory's word, a pinned key named in the record, is not proof: the client checks the signature.
            VerifiedPrincipal forged = accredited(entry("kyc-co", "issuer", fixture.issuer), SigningKeyPair.generate());
            Accreditation claimed = Accreditation.newBuilder(forged.getAccreditation())
                    .setOperatorKey(ByteBuffer.wrap(operator.publicKey())).build();
            directory.put("kyc-co", VerifiedPrincipal.newBuilder(forged).setAccreditation(claimed).build());

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "the accreditation of issuer 'kyc-co' does not verify");
        }

        @Test
        void anAccreditationOfAnotherSigningKeyIsRefused() {
            Accreditation ofAnotherKey = accredited(entry("kyc-co", "issuer", SigningKeyPair.generate()), operator)
                    .getAccreditation();
            directory.put("kyc-co", VerifiedPrincipal.newBuilder(directory.get("kyc-co"))
                    .setAccreditation(ofAnotherKey).build());

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "does not vouch for its id, the role issuer and its current signing key");
        }

        @Test
        void aPrincipalAccreditedInAnotherRoleIsNotTrustedAsAnIssuer() {
            directory.put("kyc-co", accredited(entry("kyc-co", "consumer", fixture.issuer), operator));

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "'kyc-co' is registered as consumer, not issuer");
        }

        @Test
        void anIssuerWhoseAccreditationAPinnedOperatorKeyWithdrewIsRefused() {
            VerifiedPrincipal accredited = directory.get("kyc-co");
            directory.put("kyc-co", VerifiedPrincipal.newBuilder(accredited).setWithdrawal(withdrawal(operator,
                    accredited.getAccreditation().getAccreditedAt() + 1)).build());

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "the accreditation of issuer 'kyc-co' was withdrawn at 1501");
        }

        @Test
        void aWithdrawalOlderThanTheAccreditationOrNotByAPinnedKeyLeavesTheIssuerAccredited() {
            VerifiedPrincipal accredited = directory.get("kyc-co");
            long accreditedAt = accredited.getAccreditation().getAccreditedAt();
            directory.put("kyc-co", VerifiedPrincipal.newBuilder(accredited)
                    .setWithdrawal(withdrawal(operator, accreditedAt - 1)).build());
            assertThat(verify(fixture.delivery(grant, List.of("country")))).as("accredited again after a withdrawal")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);

            directory.put("kyc-co", VerifiedPrincipal.newBuilder(accredited)
                    .setWithdrawal(withdrawal(SigningKeyPair.generate(), accreditedAt + 1)).build());
            assertThat(verify(fixture.delivery(grant, List.of("country")))).as("withdrawn by an unpinned key")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
        }

        private AccreditationWithdrawn withdrawal(SigningKeyPair by, long withdrawnAt) {
            return PrincipalRecords.withdrawal(by, new WithdrawalStatement("kyc-co", "issuer",
                    fixture.issuer.publicKey(), withdrawnAt));
        }

        @Test
        void aConsumerThatPinsNoOperatorKeyTrustsNoIssuer() {
            trust = new ConsumerTrust(List.of());

            assertRefused(verify(fixture.delivery(grant, List.of("country"))), Check.ISSUER_ACCREDITATION,
                    "this consumer pins no operator key (idstream.operator.keys)");
        }
    }

    @Nested
    class PinnedOperatorKeys {
        @Test
        void areReadAsTheProcessorsTakeThemCommaSeparatedHex() {
            SigningKeyPair second = SigningKeyPair.generate();
            Properties properties = new Properties();
            properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG, HexFormat.of().formatHex(operator.publicKey())
                    + ", " + HexFormat.of().formatHex(second.publicKey()));

            assertThat(ConsumerTrust.operatorKeys(properties)).containsExactly(operator.publicKey(),
                    second.publicKey());
        }

        @Test
        void aKeyThatIsNotHexIsRefusedNamingTheSetting() {
            Properties properties = new Properties();
            properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG, "not-a-key");

            assertThatThrownBy(() -> ConsumerTrust.operatorKeys(properties)).isInstanceOf(IdstreamException.class)
                    .hasMessage("idstream.operator.keys: 'not-a-key' is not hex");
        }

        @Test
        void aKeyOfAnotherLengthIsRefusedNamingTheSetting() {
            Properties properties = new Properties();
            properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG, "abcd");

            assertThatThrownBy(() -> ConsumerTrust.operatorKeys(properties)).isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("idstream.operator.keys: an Ed25519 public key is 32 bytes");
        }
    }

    @Nested
    class CredentialExpiry {
        @Test
        void aCredentialThatExpiredByTheConsumersClockIsRefusedThoughDeliveredBefore() {
            DeliveryFixture expiring = new DeliveryFixture("alice", NOW - 500);
            directory.put("alice", entry("alice", "holder", expiring.holder.signing()));
            directory.put("kyc-co", accredited(entry("kyc-co", "issuer", expiring.issuer), operator));
            CredentialDelivery delivery = expiring.delivery(expiring.grant(List.of("country")), List.of("country"),
                    NOW - 1_000);

            assertRefused(verify(expiring, delivery), Check.CREDENTIAL_EXPIRED, "credential "
                    + expiring.credential.getCredentialId() + " expired at 2500, before this consumer's clock (3000)");
        }

        @Test
        void aGrantThatExpiredByTheConsumersClockIsRefusedThoughTheDeliveryWasMadeWithinIt() {
            // A delivery kept back by a writer of the delivery topic, and shown after the holder's grant ran out.
            directory.put("alice", entry("alice", "holder", fixture.holder.signing()));
            directory.put("kyc-co", accredited(entry("kyc-co", "issuer", fixture.issuer), operator));
            Grant expiring = fixture.grant(List.of("country"), NOW - 500);
            CredentialDelivery delivery = fixture.delivery(expiring, List.of("country"));

            assertRefused(verify(fixture, delivery), Check.GRANT_WINDOW, "grant " + expiring.getGrantId()
                    + " expired at 2500, before this consumer's clock (3000)");
        }

        @Test
        void aCredentialThatExpiresAfterTheConsumersClockIsDelivered() {
            DeliveryFixture expiring = new DeliveryFixture("alice", NOW + 1);
            directory.put("alice", entry("alice", "holder", expiring.holder.signing()));
            directory.put("kyc-co", accredited(entry("kyc-co", "issuer", expiring.issuer), operator));
            CredentialDelivery delivery = expiring.delivery(expiring.grant(List.of("country")), List.of("country"));

            assertThat(verify(expiring, delivery)).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
    }

    @Nested
    class NoticesThatEndAccess {
        final SigningKeyPair alice = fixture.holder.signing();
        final String requestId = "3f2b8a4e-2c1d-4e5f-8a9b-0c1d2e3f4a5b";
        final String grantId = grant.getGrantId();
        final String credentialId = fixture.credential.getCredentialId();

        private ConsumerNotice notice(NoticeKind kind, String requestId, String grantId, SpecificRecord statement) {
            return new ConsumerNotice(kind, "exchange-a", "alice", requestId, grantId, credentialId, "ended", NOW,
                    statement);
        }

        private DeliveryOutcome verify(ConsumerNotice notice) {
            return trust.verify(verifier, id -> Optional.ofNullable(directory.get(id)), new DeliveryEvent(notice),
                    NOW);
        }

        @Test
        void aDenialSignedByTheHolderIsPassedOn() {
            ConsumerNotice denied = notice(NoticeKind.DENIED, requestId, "",
                    DecisionRecords.denial(alice, requestId, "alice", 2_000L));

            assertThat(verify(denied)).isEqualTo(new DeliveryOutcome.Notice(requestId, NoticeKind.DENIED, "alice",
                    "", credentialId, "ended"));
        }

        @Test
        void aGrantEndedByAKeyChangeIsPassedOnWithoutAStatementAsTheProcessorsWord() {
            // The processors end a grant whose holder's or consumer's key is no longer the one bound: no party signs.
            ConsumerNotice keyChanged = notice(NoticeKind.KEY_CHANGED, requestId, grantId, null);

            assertThat(verify(keyChanged)).isEqualTo(new DeliveryOutcome.Notice(requestId, NoticeKind.KEY_CHANGED,
                    "alice", grantId, credentialId, "ended"));
        }

        @Test
        void aDenialWithoutAStatementIsRefusedAsUnproven() {
            assertThat(verify(notice(NoticeKind.DENIED, requestId, "", null))).isEqualTo(new DeliveryOutcome.Refused(
                    requestId, Check.NOTICE_STATEMENT, "DENIED notice about request " + requestId
                    + " carries no signed statement"));
        }

        @Test
        void aRevocationSignedWithAnotherKeyThanTheHoldersIsRefused() {
            ConsumerNotice forged = notice(NoticeKind.REVOKED, "", grantId,
                    DecisionRecords.revocation(SigningKeyPair.generate(), grantId, "alice", 2_000L));

            assertRefused(verify(forged), Check.NOTICE_STATEMENT,
                    "REVOKED notice about grant " + grantId + " carries a statement whose signature does not verify "
                            + "under holder 'alice''s key");
        }

        @Test
        void aRevocationOfAnotherGrantDoesNotProveThisOne() {
            String otherGrant = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
            ConsumerNotice borrowed = notice(NoticeKind.REVOKED, "", grantId,
                    DecisionRecords.revocation(alice, otherGrant, "alice", 2_000L));

            assertRefused(verify(borrowed), Check.NOTICE_STATEMENT, "names grant '" + grantId
                    + "' of 'alice', its statement grant '" + otherGrant + "' of 'alice'");
        }

        @Test
        void anErasureNoticeCarryingADenialIsRefused() {
            ConsumerNotice mismatched = notice(NoticeKind.ERASED, requestId, "",
                    DecisionRecords.denial(alice, requestId, "alice", 2_000L));

            assertRefused(verify(mismatched), Check.NOTICE_STATEMENT, "ERASED notice about request " + requestId
                    + " carries a Denial as its statement");
        }

        @Test
        void anErasureSignedByTheHolderIsPassedOn() {
            ConsumerNotice erased = notice(NoticeKind.ERASED, "", grantId,
                    DecisionRecords.erasure(alice, credentialId, "alice", 2_000L));

            assertThat(verify(erased)).isInstanceOf(DeliveryOutcome.Notice.class);
        }

        @Test
        void aCredentialRevocationSignedByTheAccreditedIssuerIsPassedOn() {
            ConsumerNotice revoked = notice(NoticeKind.CREDENTIAL_REVOKED, "", grantId,
                    DecisionRecords.credentialRevocation(fixture.issuer, credentialId, "alice", "kyc-co", "withdrawn",
                            2_000L));

            assertThat(verify(revoked)).isInstanceOf(DeliveryOutcome.Notice.class);
        }

        @Test
        void aCredentialRevocationSignedByAnIssuerTheConsumerDoesNotTrustIsRefused() {
            SigningKeyPair rogue = SigningKeyPair.generate();
            directory.put("rogue-co", accredited(entry("rogue-co", "issuer", rogue), SigningKeyPair.generate()));
            ConsumerNotice revoked = notice(NoticeKind.CREDENTIAL_REVOKED, "", grantId,
                    DecisionRecords.credentialRevocation(rogue, credentialId, "alice", "rogue-co", "withdrawn",
                            2_000L));

            assertRefused(verify(revoked), Check.NOTICE_STATEMENT,
                    "is signed by an issuer this consumer does not trust: issuer 'rogue-co' is accredited by "
                            + "operator key");
        }
    }
}
