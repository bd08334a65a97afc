package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Credentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant serves only within its window {@code [notBefore, expiresAt)} (docs/protocol.md section 11), and the
 * request-time check says so on its own: the expiry punctuation runs once a day here, so that a request arriving
 * after {@code expiresAt} meets a grant the punctuator has not removed yet. A request a grant does not serve waits:
 * the consumer hears PENDING, the holder's inbox holds it, and nothing is rejected.
 */
class GrantWindowTopologyTest extends RegisteredPartiesFixture {
    static final Duration PUNCTUATION = Duration.ofDays(1);

    Credentials.IssuedCredential credential;

    @Override
    Map<String, Object> harnessSettings() {
        return Map.of(ProcessorsConfig.PUNCTUATE_INTERVAL_MS, PUNCTUATION.toMillis());
    }

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        harness.inbox.readValuesToList();
    }

    @Test
    void grantWhoseWindowOpensLaterServesNothingYetThenServesOnceItOpens() {
        Grant grant = grantFrom(harness.now() + Duration.ofHours(1).toMillis(), 0L);

        AccessRequest early = harness.request(exchange, alice, "kyc", List.of("country"));
        assertWaits(early);

        harness.advance(Duration.ofHours(1));
        AccessRequest onTime = harness.request(exchange, alice, "kyc", List.of("country"));
        assertServedFromGrant(onTime, grant);
    }

    @Test
    void requestAfterExpiryButBeforeTheExpiryPunctuationWaits() {
        harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofHours(1), 0);
        harness.advance(Duration.ofMinutes(61));
        assertThat(harness.deliveriesOf(exchange)).as("notices before the punctuation ran: no EXPIRED yet").isEmpty();

        AccessRequest late = harness.request(exchange, alice, "kyc", List.of("country"));
        assertWaits(late);

        // The punctuation, when it comes, ends the grant as designed.
        harness.advance(PUNCTUATION);
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.EXPIRED);
    }

    @Test
    void requestAtTheMillisecondTheGrantExpiresWaits() {
        harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofHours(1), 0);
        harness.advance(Duration.ofHours(1));
        assertThat(harness.deliveriesOf(exchange)).as("notices before the punctuation ran: no EXPIRED yet").isEmpty();

        assertWaits(harness.request(exchange, alice, "kyc", List.of("country")));
    }

    @Test
    void requestAtTheMillisecondBeforeExpiryIsServed() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofHours(1), 0);
        harness.advance(Duration.ofHours(1).minusMillis(1));

        assertServedFromGrant(harness.request(exchange, alice, "kyc", List.of("country")), grant);
    }

    @Test
    void requestAtTheMillisecondTheWindowOpensIsServed() {
        Grant grant = grantFrom(harness.now() + Duration.ofMinutes(5).toMillis(), 0L);
        harness.advance(Duration.ofMinutes(5));

        assertServedFromGrant(harness.request(exchange, alice, "kyc", List.of("country")), grant);
    }

    private Grant grantFrom(long notBefore, long expiresAt) {
        Grant grant = TopologyHarness.signedGrant(alice, exchange, credential, "", "onboarding", List.of("country"),
                harness.now(), notBefore, expiresAt, 0);
        harness.decisions.pipeInput(alice.id, new DecisionEvent(grant));
        assertThat(harness.rejections()).as("rejections of the grant").isEmpty();
        return grant;
    }

    /** The request waits: the consumer hears PENDING for it and nothing else, the holder's inbox holds it. */
    private void assertWaits(AccessRequest request) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries to exchange-a, by request id")
                .extracting(CredentialDelivery::getRequestId).isEmpty();
        assertThat(notices(events)).as("notices to exchange-a").singleElement().satisfies(n -> {
            assertThat(n.getKind()).isEqualTo(NoticeKind.PENDING);
            assertThat(n.getRequestId()).isEqualTo(request.getRequestId());
        });
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).as("Alice's inbox")
                .filteredOn(PendingRequest.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((PendingRequest) e).getRequest().getRequestId())
                        .isEqualTo(request.getRequestId()));
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }
}
