package io.idstream.it.attacks;

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
import io.idstream.processors.TopologyHarness;
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
 * Swapping the purpose: a consumer the holder granted fields for one purpose asks for the same fields for another,
 * hoping the standing grant answers at once. A grant covers only requests for the purpose it was granted for
 * (docs/protocol.md section 11); a request for any other purpose is parked for the holder to decide.
 */
@Timeout(60)
class PurposeSwapAttackTest extends AttackedTopology {
    static final String GRANTED_PURPOSE = "account-opening";
    static final String OTHER_PURPOSE = "marketing";

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() throws Exception {
        harness.deliveryTopics.add(exchange.id);
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.inbox.readValuesToList(); // CREDENTIAL_STORED
    }

    @Test
    void aRequestForAnotherPurposeWaitsForTheHolderWhileOneForTheGrantedPurposeIsAnswered() {
        grantForAccountOpening();

        AccessRequest marketing = request(OTHER_PURPOSE);
        assertParkedNotDelivered(marketing);

        AccessRequest accountOpening = request(GRANTED_PURPOSE);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange)))
                .as("deliveries to a request for the granted purpose")
                .extracting(CredentialDelivery::getRequestId).containsExactly(accountOpening.getRequestId());
    }

    @Test
    void aNewGrantDoesNotAnswerARequestParkedForAnotherPurpose() {
        AccessRequest marketing = request(OTHER_PURPOSE);
        assertParkedNotDelivered(marketing);

        grantForAccountOpening();

        assertThat(harness.deliveriesOf(exchange)).as("what exchange-a hears once the grant arrives").isEmpty();
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }

    /** Alice's standing grant of country to exchange-a for account opening, for 30 days and any number of uses. */
    private void grantForAccountOpening() {
        Grant grant = TopologyHarness.signedGrant(alice, exchange, credential, "", GRANTED_PURPOSE,
                List.of("country"), harness.now(), harness.now() + Duration.ofDays(30).toMillis(), 0);
        harness.decisions.pipeInput(alice.id, new DecisionEvent(grant));
    }

    private AccessRequest request(String purpose) {
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "kyc", "", purpose,
                List.of("country"), harness.now());
        harness.requests.pipeInput(alice.id, request);
        return request;
    }

    /** The consumer hears PENDING and gets no delivery; the holder's inbox holds the request. */
    private void assertParkedNotDelivered(AccessRequest request) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries to the request for %s", request.getPurpose())
                .extracting(CredentialDelivery::getRequestId).isEmpty();
        assertThat(notices(events)).as("notices to the request for %s", request.getPurpose())
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getRequestId)
                .containsExactly(tuple(NoticeKind.PENDING, request.getRequestId()));
        assertThat(harness.inbox.readValuesToList()).as("alice's inbox").extracting(InboxEvent::getEvent)
                .singleElement().isInstanceOfSatisfying(PendingRequest.class, parked -> assertThat(
                        parked.getRequest().getRequestId()).isEqualTo(request.getRequestId()));
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }
}
