package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Escaping a withdrawal by rotating keys: an issuer rotates its signing key, which drops its accreditation, so the
 * operator has nothing in force to withdraw; it then rotates back to its first key and sends its first accreditation
 * again, which nothing in force is newer than. The verified entry keeps the newest accreditation time ever accepted
 * for the id across rotations (docs/protocol.md sections 7 and 10): an accreditation not newer than it is a replay,
 * and the operator may withdraw an accreditation the rotation dropped.
 */
@Timeout(60)
class WithdrawalEscapeAttackTest extends AttackedTopology {
    static final List<String> FIELDS = List.of("country");

    Credentials.IssuedCredential credential;
    SigningKeyPair rotatedKey = SigningKeyPair.generate();

    @BeforeEach
    void issueAlicesKyc() throws Exception {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        harness.advance(Duration.ofSeconds(1));
    }

    @Test
    void theFirstAccreditationSentAgainAfterRotatingAwayAndBackDoesNotAccreditTheIssuer() {
        rotate(issuer.signing, rotatedKey);
        rotate(rotatedKey, issuer.signing);

        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        AccessRequest request = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("the first accreditation sent again")
                .extracting(RejectedRecord::reason).containsExactly("replay");
        assertAnsweredIssuerNotAccredited(request, credential);
    }

    @Test
    void theOperatorWithdrawsTheAccreditationARotationDroppedAndItStaysWithdrawnAfterRotatingBack() {
        rotate(issuer.signing, rotatedKey);
        withdraw(rotatedKey.publicKey());
        rotate(rotatedKey, issuer.signing);

        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        AccessRequest request = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("refused records")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("replay", harness.catalog.directory().name()));
        assertThat(latestEntryOfTheIssuer().getWithdrawal()).as("the withdrawal in the issuer's entry")
                .extracting(w -> AvroBytes.of(w.getSigningKey())).isEqualTo(rotatedKey.publicKey());
        assertAnsweredIssuerNotAccredited(request, credential);
    }

    @Test
    void theFirstAccreditationWrittenToTheVerifiedDirectoryAfterRotatingBackIsNotLoaded() {
        rotate(issuer.signing, rotatedKey);
        rotate(rotatedKey, issuer.signing);
        VerifiedPrincipal rotatedBack = latestEntryOfTheIssuer();
        TestInputTopic<String, VerifiedPrincipal> verifiedDirectory = harness.driver.createInputTopic(
                harness.catalog.directoryGlobal().name(), new StringSerializer(),
                harness.catalog.directoryGlobal().valueSerde().serializer());

        // The entry that forgets the newest accreditation time first, so the one after has nothing to compare with.
        VerifiedPrincipal forgetful = VerifiedPrincipal.newBuilder(rotatedBack).setLatestAccreditedAt(0).build();
        verifiedDirectory.pipeInput(issuer.id, forgetful);
        verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(forgetful)
                .setAccreditation(firstAccreditation).build());
        AccessRequest request = requestNaming(credential, FIELDS);

        assertAnsweredIssuerNotAccredited(request, credential);
    }

    /** Registers the issuer again with {@code next}'s public key, signed by {@code bound}, the key bound to its id. */
    private void rotate(SigningKeyPair bound, SigningKeyPair next) {
        harness.advance(Duration.ofSeconds(1));
        Principal registration = PrincipalRecords.registration(bound, new PrincipalStatement(issuer.id, issuer.role,
                next.publicKey(), issuer.encryption.publicKey(), "Display " + issuer.id, harness.now()));
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(registration));
    }

    private void withdraw(byte[] signingKey) {
        harness.advance(Duration.ofSeconds(1));
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(PrincipalRecords.withdrawal(harness.operator,
                new WithdrawalStatement(issuer.id, issuer.role, signingKey, harness.now()))));
    }
}
