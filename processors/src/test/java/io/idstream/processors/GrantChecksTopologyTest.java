package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.crypto.ToBeSigned;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a holder's grant must be before it counts (docs/protocol.md section 6): filed under its holder, of the
 * protocol's shape, for fields the credential has, used once; and which parked requests a new grant answers: those it
 * covers on its credential, or asked by type before any such credential existed, the one it names first and the
 * others in the order the holder's store lists them; never one it does not cover, never one parked on another
 * credential, and never the same one twice.
 */
class GrantChecksTopologyTest extends RegisteredPartiesFixture {
    /** Two request ids in the order a holder's store lists them. */
    static final String FIRST_REQUEST_ID = "00000000-0000-4000-8000-000000000001";
    static final String SECOND_REQUEST_ID = "00000000-0000-4000-8000-000000000002";

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void grantFiledUnderAnotherHolderIsAKeyMismatch() {
        harness.decisions.pipeInput(bob.id, new DecisionEvent(standingGrant(List.of("country"))));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("key-mismatch", "record key 'bob' is not the holder id 'alice'"));
        assertThat(harness.audit.readValuesToList()).as("audit: no GRANTED").isEmpty();
    }

    @Test
    void grantsOutsideTheProtocolAreMalformed() {
        Grant genuine = standingGrant(List.of("country"));
        // Shape is checked before the signature: these keep the genuine grant's signature.
        decide(Grant.newBuilder(genuine).setGrantId("not-a-uuid").build());
        decide(Grant.newBuilder(genuine).setRequestId("not-a-uuid").build());
        decide(Grant.newBuilder(genuine).setMaxUses(-1).build());
        decide(Grant.newBuilder(genuine).setFields(List.of()).build());
        decide(Grant.newBuilder(genuine).setFields(List.of("country", "age_over_18")).build());
        decide(Grant.newBuilder(genuine).setFields(List.of("country", "country")).build());
        // Alice signs a grant of a field her credential does not have: the signature is hers, the field is not.
        decide(resignedByAlice(Grant.newBuilder(genuine).setFields(List.of("country", "nickname")).build()));

        String shape = "grant has negative uses or empty, unsorted or repeated fields";
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("malformed", "grant id 'not-a-uuid' does not match " + Identifiers.UUID.pattern()),
                tuple("malformed", "request id 'not-a-uuid' does not match " + Identifiers.UUID.pattern()),
                tuple("malformed", shape),
                tuple("malformed", shape),
                tuple("malformed", shape),
                tuple("malformed", shape),
                tuple("malformed", "grant names fields the credential does not have"));
        assertThat(harness.audit.readValuesToList()).as("audit: no GRANTED").isEmpty();
    }

    @Test
    void theSameGrantTwiceIsAReplay() {
        Grant grant = standingGrant(List.of("country"));
        decide(grant);
        decide(grant);

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("replay", "grant:" + grant.getGrantId() + " was already used"));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.GRANTED);
    }

    @Test
    void aGrantOfOneUseAnswersTheRequestItNamesBeforeAnEarlierOne() {
        AccessRequest first = requestWithId(FIRST_REQUEST_ID, "kyc");
        AccessRequest second = requestWithId(SECOND_REQUEST_ID, "kyc");
        harness.deliveriesOf(exchange);
        harness.inbox.readValuesToList();

        Grant grant = harness.grant(alice, exchange, credential, second.getRequestId(), List.of("country"), null, 1);

        assertThat(harness.rejections()).as("rejections").isEmpty();
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).extracting(CredentialDelivery::getRequestId,
                d -> d.getGrant().getGrantId()).containsExactly(tuple(second.getRequestId(), grant.getGrantId()));
        assertThat(notices(events)).as("notices to exchange-a").isEmpty();

        // the first request still waits: a standing grant answers it now
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(first.getRequestId());
    }

    @Test
    void aGrantOfOneUseThatNamesNoRequestAnswersTheFirstParkedRequestInTheHoldersStore() {
        AccessRequest first = requestWithId(FIRST_REQUEST_ID, "kyc");
        requestWithId(SECOND_REQUEST_ID, "kyc");

        harness.grant(alice, exchange, credential, "", List.of("country"), null, 1);

        assertThat(harness.rejections()).as("rejections").isEmpty();
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(first.getRequestId());
    }

    @Test
    void aGrantLeavesParkedRequestsOnItsCredentialThatItDoesNotCoverWaiting() {
        AccessRequest fromAnotherConsumer = harness.request(app, alice, "kyc", List.of("country"));
        AccessRequest forMoreFields = harness.request(exchange, alice, "kyc", List.of("age_over_18", "country"));
        harness.deliveriesOf(app);
        harness.deliveriesOf(exchange);

        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);

        assertThat(harness.deliveriesOf(app)).as("app-b's topic after exchange-a's grant").isEmpty();
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic after a grant of less").isEmpty();
        assertThat(harness.rejections()).as("rejections").isEmpty();

        // both still wait: the grants that cover them answer them
        harness.grant(alice, app, credential, fromAnotherConsumer.getRequestId(), List.of("country"), null, 0);
        harness.grant(alice, exchange, credential, forMoreFields.getRequestId(), List.of("age_over_18", "country"),
                null, 0);
        assertThat(credentialDeliveries(harness.deliveriesOf(app))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(fromAnotherConsumer.getRequestId());
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(forMoreFields.getRequestId());
    }

    @Test
    void aGrantAnswersRequestsOnItsCredentialOrAskedByTypeBeforeItExistedAndNoOtherOnce() {
        // exchange-a asks for an address before Alice has one, and for her kyc
        AccessRequest byTypeBeforeIssue = harness.request(exchange, alice, "address", List.of("country"));
        AccessRequest onTheKyc = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(parkedCredentialIds()).containsExactly("", credential.header().credentialId());
        harness.deliveriesOf(exchange);

        // Alice gets an address credential and grants exchange-a its country, for any request
        Credentials.IssuedCredential address = harness.issue(issuer, alice, "address", Map.of("country", "FR"));
        Grant grant = harness.grant(alice, exchange, address, "", List.of("country"), null, 0);

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries from the address grant")
                .extracting(CredentialDelivery::getRequestId, d -> d.getCredentialId())
                .containsExactly(tuple(byTypeBeforeIssue.getRequestId(), address.header().credentialId()));
        assertThat(credentialDeliveries(events)).extracting(d -> d.getGrant().getGrantId())
                .containsExactly(grant.getGrantId());

        // a second grant on the address finds the answered request gone
        harness.grant(alice, exchange, address, "", List.of("country"), null, 0);
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic after the second grant").isEmpty();
        // the request on the kyc still waits: a grant on the kyc answers it
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(onTheKyc.getRequestId());
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }

    private List<String> parkedCredentialIds() {
        return harness.inbox.readValuesToList().stream().map(InboxEvent::getEvent)
                .filter(PendingRequest.class::isInstance).map(e -> ((PendingRequest) e).getCredentialId()).toList();
    }

    private AccessRequest requestWithId(String requestId, String type) {
        AccessRequest request = RequestRecords.signed(exchange.signing, new RequestStatement(requestId, exchange.id,
                alice.id, type, "", "onboarding", harness.now(), List.of("country")));
        harness.requests.pipeInput(alice.id, request);
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING);
        return request;
    }

    private Grant standingGrant(List<String> fields) {
        return TopologyHarness.signedGrant(alice, exchange, credential, "", fields, harness.now(), 0L, 0);
    }

    private void decide(Grant grant) {
        harness.decisions.pipeInput(alice.id, new DecisionEvent(grant));
    }

    private Grant resignedByAlice(Grant grant) {
        return Grant.newBuilder(grant).setSignature(ByteBuffer.wrap(alice.signing.sign(
                ToBeSigned.grant(GrantRecords.statement(grant))))).build();
    }
}
