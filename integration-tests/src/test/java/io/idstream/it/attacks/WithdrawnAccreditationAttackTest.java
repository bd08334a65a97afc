package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.WithdrawalStatement;
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

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Delivering what a withdrawn issuer vouched for: the operator withdraws an issuer's accreditation, yet the grants
 * holders made on that issuer's credentials would go on delivering them, and the withdrawn accreditation could be
 * sent again to bring the issuer back. The processors accept an operator-signed withdrawal (docs/protocol.md section
 * 7), after which no request is answered with that issuer's credentials (the consumer hears
 * {@code ISSUER_NOT_ACCREDITED}), and only an accreditation newer than the withdrawal accredits the issuer again.
 */
@Timeout(60)
class WithdrawnAccreditationAttackTest extends AttackedTopology {
    static final List<String> FIELDS = List.of("country");

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() throws Exception {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.advance(Duration.ofSeconds(1));
    }

    @Test
    void aStandingGrantDeliversNothingOnceTheOperatorWithdrawsTheIssuersAccreditation() {
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        AccessRequest beforeWithdrawal = requestNaming(credential, FIELDS);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("deliveries while accredited")
                .extracting(d -> d.getRequestId()).containsExactly(beforeWithdrawal.getRequestId());

        withdraw(harness.operator);
        AccessRequest afterWithdrawal = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("refused records").extracting(RejectedRecord::reason, RejectedRecord::detail)
                .isEmpty();
        assertThat(latestEntryOfTheIssuer().getAccreditation()).as("the issuer's accreditation in the directory")
                .isNull();
        assertAnsweredIssuerNotAccredited(afterWithdrawal, credential);
    }

    @Test
    void aGrantMadeAfterTheWithdrawalDoesNotAnswerTheRequestItNames() {
        AccessRequest parked = requestNaming(credential, FIELDS);
        withdraw(harness.operator);

        harness.grant(alice, exchange, credential, parked.getRequestId(), FIELDS, Duration.ofDays(30), 5);

        assertThat(harness.rejections()).as("refused records").extracting(RejectedRecord::reason, RejectedRecord::detail)
                .isEmpty();
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries to exchange-a").isEmpty();
        assertThat(notices(events)).as("what exchange-a hears").extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING, NoticeKind.ISSUER_NOT_ACCREDITED);
    }

    @Test
    void theWithdrawnAccreditationSentAgainDoesNotAccreditTheIssuerAgain() {
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        withdraw(harness.operator);

        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        AccessRequest request = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("the old accreditation sent again")
                .extracting(RejectedRecord::reason).containsExactly("replay");
        assertAnsweredIssuerNotAccredited(request, credential);
    }

    @Test
    void theIssuersEntryFromBeforeTheWithdrawalSentToTheVerifiedDirectoryIsNotLoaded() {
        VerifiedPrincipal accredited = latestEntryOfTheIssuer();
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        withdraw(harness.operator);
        TestInputTopic<String, VerifiedPrincipal> verifiedDirectory = harness.driver.createInputTopic(
                harness.catalog.directoryGlobal().name(), new StringSerializer(),
                harness.catalog.directoryGlobal().valueSerde().serializer());

        verifiedDirectory.pipeInput(issuer.id, accredited);
        AccessRequest request = requestNaming(credential, FIELDS);

        assertAnsweredIssuerNotAccredited(request, credential);
    }

    @Test
    void aNewerAccreditationAfterTheWithdrawalDeliversAgain() {
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        withdraw(harness.operator);
        harness.advance(Duration.ofSeconds(1));

        harness.accredit(issuer);
        AccessRequest request = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("refused records").extracting(RejectedRecord::reason, RejectedRecord::detail)
                .isEmpty();
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("deliveries once accredited again")
                .extracting(d -> d.getRequestId()).containsExactly(request.getRequestId());
    }

    @Test
    void aWithdrawalSignedWithAnUntrustedKeyIsRefusedAndChangesNothing() {
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);

        withdraw(SigningKeyPair.generate());
        AccessRequest request = requestNaming(credential, FIELDS);

        assertThat(harness.rejections()).as("the withdrawal by an untrusted key")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("not-accredited", harness.catalog.directory().name()));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("deliveries to exchange-a")
                .extracting(d -> d.getRequestId()).containsExactly(request.getRequestId());
    }

    private void withdraw(SigningKeyPair operator) {
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(PrincipalRecords.withdrawal(operator,
                new WithdrawalStatement(issuer.id, issuer.role, issuer.signing.publicKey(), harness.now()))));
    }
}
