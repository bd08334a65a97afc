package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a consumer's request must be before it is looked at (docs/protocol.md section 5): ids and field names of the
 * protocol's shape, fields sorted and distinct, created within the replay window; and which credential a request by
 * type is about: the newest usable one from an accredited issuer, which is what the holder's inbox shows, together
 * with who asks and until when the request waits.
 */
class RequestChecksTopologyTest extends RegisteredPartiesFixture {
    /** Credential ids in the order a holder's store lists them. */
    static final String FIRST_ID = "00000000-0000-4000-8000-000000000001";
    static final String SECOND_ID = "00000000-0000-4000-8000-000000000002";

    @Test
    void requestsOutsideTheProtocolAreMalformed() {
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        harness.inbox.readValuesToList();

        send(RequestRecords.signed(exchange.signing, statement("kyc", "not-a-uuid", List.of("country"),
                harness.now())));
        send(signedAsIs(statement("kyc", "", List.of("Country"), harness.now())));
        send(RequestRecords.signed(exchange.signing, statement("kyc", "", List.of(), harness.now())));
        send(signedAsIs(statement("kyc", "", List.of("country", "age_over_18"), harness.now())));
        // A repeated field cannot even be signed: this one keeps the signature over the field once.
        send(AccessRequest.newBuilder(RequestRecords.signed(exchange.signing, statement("kyc", "",
                List.of("country"), harness.now()))).setFields(List.of("country", "country")).build());

        String fields = "requested fields are empty, unsorted or repeated";
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("malformed", "credential id 'not-a-uuid' does not match " + Identifiers.UUID.pattern()),
                tuple("malformed", "field name 'Country' does not match " + Identifiers.FIELD_NAME.pattern()),
                tuple("malformed", fields),
                tuple("malformed", fields),
                tuple("malformed", fields));
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox").isEmpty();
    }

    @Test
    void aRequestCreatedAtTheStartOfTheReplayWindowCountsAndOneMillisecondEarlierIsStale() {
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        long windowStart = harness.now() - harness.config.replayWindowMs();

        AccessRequest atTheStart = send(RequestRecords.signed(exchange.signing, statement("kyc", "",
                List.of("country"), windowStart)));
        send(RequestRecords.signed(exchange.signing, statement("kyc", "", List.of("country"), windowStart - 1)));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("stale");
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getRequestId).containsExactly(tuple(NoticeKind.PENDING, atTheStart.getRequestId()));
    }

    @Test
    void thePendingRequestTellsTheHolderWhoAsksForWhichCredentialAndUntilWhen() {
        Credentials.IssuedCredential kyc = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.accredit(app);
        harness.inbox.readValuesToList();

        // exchange-a, not accredited, names the credential by id alone; app-b, accredited, asks for a type Alice lacks
        AccessRequest byId = send(RequestRecords.signed(exchange.signing, statement("", kyc.header().credentialId(),
                List.of("country"), harness.now())));
        long receivedAt = harness.now();
        AccessRequest byType = send(RequestRecords.signed(app.signing, new RequestStatement(
                UUID.randomUUID().toString(), app.id, alice.id, "passport", "", "onboarding", harness.now(),
                List.of("country"))));

        assertThat(harness.rejections()).isEmpty();
        assertThat(parked()).extracting(p -> p.getRequest().getRequestId(), PendingRequest::getConsumerDisplayName,
                PendingRequest::getConsumerAccredited, PendingRequest::getCredentialId,
                PendingRequest::getCredentialType, PendingRequest::getIssuerId, PendingRequest::getReceivedAt,
                PendingRequest::getExpiresAt).containsExactly(
                tuple(byId.getRequestId(), "Display exchange-a", false, kyc.header().credentialId(), "kyc",
                        issuer.id, receivedAt, receivedAt + harness.config.pendingTtlMs()),
                tuple(byType.getRequestId(), "Display app-b", true, "", "passport", "", receivedAt,
                        receivedAt + harness.config.pendingTtlMs()));
    }

    @Test
    void aRequestByTypeIsAboutTheNewestCredential() {
        issue(FIRST_ID, issuer, harness.now() - 2, 0L);
        issue(SECOND_ID, issuer, harness.now() - 1, 0L);

        assertThat(parkedCredentialIdOfANewRequest()).isEqualTo(SECOND_ID);
    }

    @Test
    void ofTwoCredentialsIssuedAtTheSameMillisecondARequestIsAboutTheFirstListed() {
        issue(FIRST_ID, issuer, harness.now() - 1, 0L);
        issue(SECOND_ID, issuer, harness.now() - 1, 0L);

        assertThat(parkedCredentialIdOfANewRequest()).isEqualTo(FIRST_ID);
    }

    @Test
    void aRequestByTypeIsNeverAboutACredentialWhoseIssuerIsNoLongerAccredited() {
        Party otherIssuer = harness.register("other-kyc", "issuer");
        harness.accredit(otherIssuer);
        harness.allowIssuer(alice, otherIssuer, List.of("kyc"), Duration.ofDays(1));
        issue(FIRST_ID, issuer, harness.now() - 2, 0L);
        issue(SECOND_ID, otherIssuer, harness.now() - 1, 0L);
        // other-kyc rotates its keys: its accreditation was for the old one
        Party rotated = new Party(otherIssuer.id, otherIssuer.role);
        harness.directory.pipeInput(otherIssuer.id, new DirectoryEvent(PrincipalRecords.registration(
                otherIssuer.signing, new PrincipalStatement(rotated.id, rotated.role, rotated.signing.publicKey(),
                        rotated.encryption.publicKey(), "Display other-kyc", harness.now() + 1))));
        assertThat(harness.rejections()).isEmpty();

        assertThat(parkedCredentialIdOfANewRequest()).isEqualTo(FIRST_ID);
    }

    @Test
    void aCredentialServesUntilTheMillisecondItExpires() {
        issue(FIRST_ID, issuer, harness.now() - 2, 0L);
        Credentials.IssuedCredential expiring = issue(SECOND_ID, issuer, harness.now() - 1,
                harness.now() + Duration.ofHours(1).toMillis());

        harness.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(parkedCredentialIdOfANewRequest()).as("a millisecond before expiry").isEqualTo(SECOND_ID);
        harness.advance(Duration.ofMillis(1));
        assertThat(parkedCredentialIdOfANewRequest()).as("at expiry").isEqualTo(FIRST_ID);

        harness.decisions.pipeInput(alice.id, new DecisionEvent(TopologyHarness.signedGrant(alice, exchange,
                expiring, "", List.of("country"), harness.now(), 0L, 0)));
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("unknown-credential", "credential " + SECOND_ID + " is revoked or expired"));
    }

    /** Sends a new request for Alice's kyc by type; returns the credential id her inbox shows it waiting on. */
    private String parkedCredentialIdOfANewRequest() {
        harness.inbox.readValuesToList();
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(harness.rejections()).isEmpty();
        return parked().stream().filter(p -> p.getRequest().getRequestId().equals(request.getRequestId()))
                .findFirst().orElseThrow().getCredentialId();
    }

    private Credentials.IssuedCredential issue(String credentialId, Party by, long issuedAt, long expiresAt) {
        Credentials.IssuedCredential credential = Credentials.issue(by.signing, new CredentialHeader(credentialId,
                alice.id, by.id, "kyc", issuedAt, expiresAt), alice.encryption.publicKey(), Map.of("country", "DE"));
        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));
        return credential;
    }

    private List<PendingRequest> parked() {
        return harness.inbox.readValuesToList().stream().map(InboxEvent::getEvent)
                .filter(PendingRequest.class::isInstance).map(PendingRequest.class::cast).toList();
    }

    private RequestStatement statement(String type, String credentialId, List<String> fields, long createdAt) {
        return new RequestStatement(UUID.randomUUID().toString(), exchange.id, alice.id, type, credentialId,
                "onboarding", createdAt, fields);
    }

    /** Signed by exchange-a over the statement as it is: the protocol's own signer refuses these. */
    private AccessRequest signedAsIs(RequestStatement statement) {
        return RequestRecords.toAvro(statement, exchange.signing.sign(statement.toBeSigned()));
    }

    private AccessRequest send(AccessRequest request) {
        harness.requests.pipeInput(alice.id, request);
        return request;
    }
}
