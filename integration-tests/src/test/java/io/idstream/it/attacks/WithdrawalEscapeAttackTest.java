package io.idstream.it.attacks;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
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
class WithdrawalEscapeAttackTest {
    static final List<String> FIELDS = List.of("country");

    TopologyHarness harness;
    Party issuer;
    Party alice;
    Party exchange;
    Accreditation firstAccreditation;
    Credentials.IssuedCredential credential;
    SigningKeyPair rotatedKey = SigningKeyPair.generate();

    @BeforeEach
    void registerParties() throws Exception {
        harness = new TopologyHarness();
        issuer = harness.register("kyc-co", "issuer");
        firstAccreditation = issuer.accreditationBy(harness.operator, harness.now());
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        alice = harness.register("alice", "holder");
        exchange = harness.register("exchange-a", "consumer");
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        harness.advance(Duration.ofSeconds(1));
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void theFirstAccreditationSentAgainAfterRotatingAwayAndBackDoesNotAccreditTheIssuer() {
        rotate(issuer.signing, rotatedKey);
        rotate(rotatedKey, issuer.signing);

        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        AccessRequest request = requestNamingTheCredential();

        assertThat(harness.rejections()).as("the first accreditation sent again")
                .extracting(RejectedRecord::reason).containsExactly("replay");
        assertNotDelivered(request);
    }

    @Test
    void theOperatorWithdrawsTheAccreditationARotationDroppedAndItStaysWithdrawnAfterRotatingBack() {
        rotate(issuer.signing, rotatedKey);
        withdraw(rotatedKey.publicKey());
        rotate(rotatedKey, issuer.signing);

        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        AccessRequest request = requestNamingTheCredential();

        assertThat(harness.rejections()).as("refused records")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("replay", harness.catalog.directory().name()));
        assertThat(latestEntryOfTheIssuer().getWithdrawal()).as("the withdrawal in the issuer's entry")
                .extracting(w -> AvroBytes.of(w.getSigningKey())).isEqualTo(rotatedKey.publicKey());
        assertNotDelivered(request);
    }

    @Test
    void theFirstAccreditationWrittenToTheVerifiedDirectoryAfterRotatingBackIsNotLoaded() {
        rotate(issuer.signing, rotatedKey);
        rotate(rotatedKey, issuer.signing);
        VerifiedPrincipal rotatedBack = latestEntryOfTheIssuer();
        TestInputTopic<String, VerifiedPrincipal> verifiedDirectory = harness.driver.createInputTopic(
                harness.catalog.directoryVerified().name(), new StringSerializer(),
                harness.catalog.directoryVerified().valueSerde().serializer());

        // The entry that forgets the newest accreditation time first, so the one after has nothing to compare with.
        VerifiedPrincipal forgetful = VerifiedPrincipal.newBuilder(rotatedBack).setLatestAccreditedAt(0).build();
        verifiedDirectory.pipeInput(issuer.id, forgetful);
        verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(forgetful)
                .setAccreditation(firstAccreditation).build());
        AccessRequest request = requestNamingTheCredential();

        assertNotDelivered(request);
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

    private AccessRequest requestNamingTheCredential() {
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "",
                credential.header().credentialId(), FIELDS, harness.now());
        harness.requests.pipeInput(alice.id, request);
        return request;
    }

    private VerifiedPrincipal latestEntryOfTheIssuer() {
        List<VerifiedPrincipal> entries = harness.verified.readValuesToList().stream()
                .filter(entry -> entry.getPrincipal().getId().equals(issuer.id)).toList();
        return entries.get(entries.size() - 1);
    }

    private void assertNotDelivered(AccessRequest request) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries to exchange-a")
                .filteredOn(d -> d.getRequestId().equals(request.getRequestId())).isEmpty();
        assertThat(notices(events)).as("what exchange-a hears about the request")
                .filteredOn(n -> n.getRequestId().equals(request.getRequestId()))
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getCredentialId)
                .containsExactly(tuple(NoticeKind.ISSUER_NOT_ACCREDITED, credential.header().credentialId()));
        assertThat(harness.audit.readValuesToList()).as("alice's audit of the request")
                .filteredOn(a -> a.getRequestId().equals(request.getRequestId()))
                .extracting(AccessAudit::getOutcome).containsExactly(AuditOutcome.ISSUER_NOT_ACCREDITED);
    }
}
