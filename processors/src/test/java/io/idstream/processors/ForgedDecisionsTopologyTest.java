package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.DecisionRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decisions that end a grant or a credential count only when made by whoever may make them: a holder's revocation
 * or erasure signed with another key, and an issuer's revocation of a credential by another, accredited, issuer are
 * each rejected with their reason, and the grant and the credential go on serving. A genuine issuer revocation
 * ends the credential for every later request.
 */
class ForgedDecisionsTopologyTest extends RegisteredPartiesFixture {
    Credentials.IssuedCredential credential;
    Grant grant;
    Party otherIssuer;

    @BeforeEach
    void issueAndGrant() {
        otherIssuer = harness.register("other-kyc", "issuer");
        harness.accredit(otherIssuer);
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void revocationSignedWithAnotherHoldersKeyIsRejectedAndTheGrantStillServes() {
        // Given Alice's standing grant to exchange-a; when Bob signs a revocation of it in Alice's name
        harness.decisions.pipeInput(alice.id, new DecisionEvent(DecisionRecords.revocation(bob.signing,
                grant.getGrantId(), alice.id, harness.now())));

        // then it is refused as a bad signature, exchange-a hears nothing, and its next request is served
        assertRejected("the forged revocation", "bad-signature", harness.catalog.accessDecisions().name());
        assertThat(harness.deliveriesOf(exchange)).as("notices to exchange-a").isEmpty();
        assertStillServedFromTheGrant();
    }

    @Test
    void erasureSignedWithAnotherHoldersKeyIsRejectedAndTheCredentialStillServes() {
        harness.decisions.pipeInput(alice.id, new DecisionEvent(DecisionRecords.erasure(bob.signing,
                credential.header().credentialId(), alice.id, harness.now())));

        assertRejected("the forged erasure", "bad-signature", harness.catalog.accessDecisions().name());
        assertThat(harness.stored.readRecordsToList()).as("no tombstone on the vault").isEmpty();
        assertThat(harness.deliveriesOf(exchange)).as("no ERASED notice").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("no CREDENTIAL_ERASED notice").isEmpty();
        assertStillServedFromTheGrant();
    }

    @Test
    void issuerRevocationByAnotherAccreditedIssuerIsNotItsOwner() {
        // other-kyc, accredited, signs with its own key and in its own name a revocation of kyc-co's credential
        revokeWithOtherIssuersKeyNaming(otherIssuer.id);

        assertRejected("the foreign issuer's revocation", "not-owner", harness.catalog.credentialsIssued().name());
        assertCredentialIntact();
    }

    @Test
    void issuerRevocationInTheIssuersNameSignedByAnotherIssuerIsABadSignature() {
        // other-kyc signs with its own key a revocation that names kyc-co as the revoking issuer
        revokeWithOtherIssuersKeyNaming(issuer.id);

        assertRejected("the revocation signed by another issuer", "bad-signature",
                harness.catalog.credentialsIssued().name());
        assertCredentialIntact();
    }

    @Test
    void requestAfterAGenuineIssuerRevocationHearsCredentialRevokedAndGetsNothing() {
        harness.revokeCredential(issuer, alice, credential, "document reported stolen");
        assertThat(notices(harness.deliveriesOf(exchange))).as("the grant's end").singleElement()
                .satisfies(n -> assertThat(n.getKind()).isEqualTo(NoticeKind.CREDENTIAL_REVOKED));
        harness.inbox.readValuesToList();

        // When exchange-a asks for the revoked credential by its id
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "kyc",
                credential.header().credentialId(), List.of("country"), harness.now());
        harness.requests.pipeInput(alice.id, request);

        // then it hears CREDENTIAL_REVOKED for that request, and its delivery topic holds nothing else
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(events).as("exchange-a's answer").singleElement().satisfies(e -> assertThat(e.getEvent())
                .isInstanceOfSatisfying(ConsumerNotice.class, n -> {
                    assertThat(n.getKind()).isEqualTo(NoticeKind.CREDENTIAL_REVOKED);
                    assertThat(n.getRequestId()).isEqualTo(request.getRequestId());
                }));
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox: nothing parked, nothing told").isEmpty();
        assertThat(harness.rejections()).isEmpty();
    }

    /** The credential is still active in the vault, nobody was told otherwise, and the grant on it still serves. */
    private void assertCredentialIntact() {
        assertThat(harness.stored.readRecordsToList()).as("the vault is unchanged").isEmpty();
        assertThat(harness.deliveriesOf(exchange)).as("no CREDENTIAL_REVOKED notice").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox: no notice").isEmpty();
        assertStillServedFromTheGrant();
    }

    /** other-kyc, accredited, signs with its own key a revocation of kyc-co's credential naming {@code issuerId}. */
    private void revokeWithOtherIssuersKeyNaming(String issuerId) {
        harness.issued.pipeInput(alice.id, new IssuanceEvent(DecisionRecords.credentialRevocation(
                otherIssuer.signing, credential.header().credentialId(), alice.id, issuerId, "competitor",
                harness.now())));
    }

    private void assertStillServedFromTheGrant() {
        assertServedFromGrant(harness.request(exchange, alice, "kyc", List.of("country")), grant);
    }
}
