package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of a grant, as each participant sees it: the consumer's deliveries and notices, the holder's inbox and
 * audit trail. Deliveries are checked the way a consumer checks them, by verifying and decrypting.
 */
class AccessTopologyTest extends RegisteredPartiesFixture {
    static final Map<String, String> KYC = Map.of(
            "full_name", "Alice Example", "birth_date", "1990-02-01", "country", "DE",
            "document_number", "X1234567", "kyc_level", "2", "age_over_18", "true", "sanctions_clear", "true");

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", KYC);
        harness.inbox.readValuesToList();
    }

    @Test
    void issuedCredentialIsStoredForTheHolder() {
        List<StoredCredential> stored = harness.stored.readValuesToList();
        assertThat(stored).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(CredentialStatus.ACTIVE);
            assertThat(s.getCredential().getCredentialId()).isEqualTo(credential.header().credentialId());
        });
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void requestWithoutGrantWaitsInTheHoldersInbox() {
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country", "age_over_18"));

        assertThat(notices(harness.deliveriesOf(exchange))).singleElement().satisfies(n -> {
            assertThat(n.getKind()).isEqualTo(NoticeKind.PENDING);
            assertThat(n.getRequestId()).isEqualTo(request.getRequestId());
        });
        List<InboxEvent> inbox = harness.inbox.readValuesToList();
        assertThat(inbox).singleElement().satisfies(e -> {
            PendingRequest pending = (PendingRequest) e.getEvent();
            assertThat(pending.getRequest().getRequestId()).isEqualTo(request.getRequestId());
            assertThat(pending.getCredentialId()).isEqualTo(credential.header().credentialId());
            assertThat(pending.getConsumerDisplayName()).isEqualTo("Display exchange-a");
            assertThat(pending.getIssuerId()).isEqualTo("kyc-co");
        });
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.PENDING);
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }

    @Test
    void approvalDeliversExactlyTheRequestedFieldsVerified() {
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country", "age_over_18"));
        harness.deliveriesOf(exchange);
        harness.grant(alice, exchange, credential, request.getRequestId(), List.of("age_over_18", "country"),
                Duration.ofDays(30), 5);

        List<CredentialDelivery> delivered = credentialDeliveries(harness.deliveriesOf(exchange));
        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.getRequestId()).isEqualTo(request.getRequestId());
            DeliveryVerification result = verifyAsConsumer(d, exchange, issuer, alice);
            assertThat(result).isInstanceOf(DeliveryVerification.Verified.class);
            assertThat(((DeliveryVerification.Verified) result).values())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("country", "DE", "age_over_18", "true"));
            assertThat(d.getCommitments()).hasSize(KYC.size());
        });
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.PENDING, AuditOutcome.GRANTED, AuditOutcome.DELIVERED);
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent)
                .filteredOn(HolderNotice.class::isInstance).map(e -> ((HolderNotice) e).getKind())
                .contains(HolderNoticeKind.REQUEST_ANSWERED);
    }

    @Test
    void standingGrantAnswersAtOnceAndCountsItsUses() {
        harness.grant(alice, exchange, credential, "", List.of("age_over_18", "country"), Duration.ofDays(30), 2);
        harness.request(exchange, alice, "kyc", List.of("country"));
        harness.request(exchange, alice, "kyc", List.of("age_over_18", "country"));
        AccessRequest third = harness.request(exchange, alice, "kyc", List.of("country"));

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        List<CredentialDelivery> delivered = credentialDeliveries(events);
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).getDisclosed()).extracting(f -> f.getName()).containsExactly("country");
        assertThat(delivered).allSatisfy(d -> assertThat(verifyAsConsumer(d, exchange, issuer, alice).verified())
                .isTrue());
        assertThat(notices(events)).singleElement().satisfies(n -> {
            assertThat(n.getKind()).isEqualTo(NoticeKind.PENDING);
            assertThat(n.getRequestId()).isEqualTo(third.getRequestId());
        });
        assertWaits(third, events);
    }

    @Test
    void requestBeyondTheGrantedFieldsWaits() {
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country", "full_name"));
        assertWaitsWithNothingDelivered(request, harness.deliveriesOf(exchange));
    }

    @Test
    void oneGrantDoesNotServeAnotherConsumer() {
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        AccessRequest request = harness.request(app, alice, "kyc", List.of("country"));
        List<DeliveryEvent> events = harness.deliveriesOf(app);
        assertThat(notices(events)).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING);
        assertWaits(request, events);
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's delivery topic").isEmpty();
    }

    @Test
    void denialTellsTheConsumer() {
        AccessRequest request = harness.request(app, alice, "kyc", List.of("kyc_level"));
        harness.deny(alice, request.getRequestId());
        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING, NoticeKind.DENIED);
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.PENDING, AuditOutcome.DENIED);
    }

    @Test
    void revokedGrantNoLongerAnswers() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.revokeGrant(alice, grant.getGrantId());
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(notices(events)).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.REVOKED, NoticeKind.PENDING);
        assertWaits(request, events);
    }

    @Test
    void grantExpiresOnWallClockTime() {
        harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofHours(1), 0);
        harness.advance(Duration.ofMinutes(61));
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.EXPIRED);
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(notices(events)).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING);
        assertWaits(request, events);
    }

    @Test
    void unansweredRequestExpires() {
        harness.request(app, alice, "kyc", List.of("kyc_level"));
        harness.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING, NoticeKind.EXPIRED);
        assertThat(harness.inbox.readValuesToList()).anySatisfy(e -> assertThat(e.getEvent())
                .isInstanceOfSatisfying(HolderNotice.class,
                        n -> assertThat(n.getKind()).isEqualTo(HolderNoticeKind.REQUEST_EXPIRED)));
    }

    @Test
    void erasureEndsGrantsAndTombstonesTheCredential() {
        harness.stored.readValuesToList();
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.erase(alice, credential.header().credentialId());

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.ERASED);
        assertThat(harness.stored.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("alice/" + credential.header().credentialId());
            assertThat(r.value()).isNull();
        });
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        assertWaitsWithNothingDelivered(request, harness.deliveriesOf(exchange));
    }

    @Test
    void issuerRevocationReachesConsumersWithGrants() {
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.revokeCredential(issuer, alice, credential, "document reported stolen");
        assertThat(notices(harness.deliveriesOf(exchange))).singleElement().satisfies(n -> {
            assertThat(n.getKind()).isEqualTo(NoticeKind.CREDENTIAL_REVOKED);
            assertThat(n.getReason()).contains("document reported stolen");
        });
        assertThat(harness.stored.readValuesToList()).last()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(CredentialStatus.REVOKED));
    }

    /**
     * The request waits, shown by what waiting produces and not by a missing delivery: the consumer heard PENDING
     * for it and got no delivery for it, the holder's inbox holds it, and nothing was rejected.
     */
    /** {@link #assertWaits}, and the consumer received no delivery at all, for this request or any other. */
    private void assertWaitsWithNothingDelivered(AccessRequest request, List<DeliveryEvent> events) {
        assertThat(credentialDeliveries(events)).as("deliveries to the consumer").isEmpty();
        assertWaits(request, events);
    }

    private void assertWaits(AccessRequest request, List<DeliveryEvent> events) {
        String requestId = request.getRequestId();
        assertThat(credentialDeliveries(events)).as("deliveries for request %s", requestId)
                .filteredOn(d -> d.getRequestId().equals(requestId)).isEmpty();
        assertThat(notices(events)).as("notices for request %s", requestId)
                .filteredOn(n -> n.getRequestId().equals(requestId)).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING);
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent)
                .filteredOn(PendingRequest.class::isInstance).map(e -> ((PendingRequest) e).getRequest())
                .as("requests parked in the holder's inbox").extracting(AccessRequest::getRequestId)
                .containsExactly(requestId);
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }
}
