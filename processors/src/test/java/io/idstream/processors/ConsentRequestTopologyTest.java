package io.idstream.processors;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * An issuer's request for a holder's consent (docs/protocol.md sections 6a and 11): checked on the issuance topic and
 * put in the holder's inbox exactly as signed, or refused with its reason, nothing reaching the inbox. Each refusal is
 * what a hostile writer of the issuance topic would try: an issuer nobody accredited, a forged issuer, a request sent
 * again, dated outside the window, or of malformed types.
 */
class ConsentRequestTopologyTest extends RegisteredPartiesFixture {
    @BeforeEach
    void forgetTheSetUp() {
        harness.inbox.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void aConsentRequestOfAnAccreditedIssuerReachesTheHoldersInboxAsSigned() {
        ConsentRequest request = signed(issuer, alice, List.of("kyc"), harness.now());
        pipe(alice.id, request);

        assertThat(harness.rejections()).isEmpty();
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).singleElement()
                .isInstanceOfSatisfying(ConsentRequest.class, received -> {
                    assertThat(received.getConsentRequestId()).isEqualTo(request.getConsentRequestId());
                    // the holder's client checks the issuer's signature itself
                    WriteGrantRecords.verify(issuer.signing.publicKey(), received);
                });
    }

    @Test
    void aConsentRequestOfAnIssuerNobodyAccreditedIsRefused() {
        Party unaccredited = harness.register("fly-by-night", "issuer");
        pipe(alice.id, signed(unaccredited, alice, List.of("kyc"), harness.now()));

        assertRefusedAndNothingInTheInbox(tuple("not-accredited", harness.catalog.credentialsIssued().name()));
    }

    @Test
    void aConsentRequestFromAnUnregisteredIssuerOrANonIssuerOrToAnUnregisteredHolderIsRefused() {
        pipe(alice.id, signed(new Party("nobody-co", "issuer"), alice, List.of("kyc"), harness.now()));
        pipe(alice.id, signed(exchange, alice, List.of("kyc"), harness.now()));
        Party ghost = new Party("ghost", "holder");
        pipe(ghost.id, signed(issuer, ghost, List.of("kyc"), harness.now()));

        String issuance = harness.catalog.credentialsIssued().name();
        assertRefusedAndNothingInTheInbox(tuple("unknown-principal", issuance), tuple("wrong-role", issuance),
                tuple("unknown-holder", issuance));
    }

    @Test
    void aConsentRequestInAnAccreditedIssuersNameSignedByAnotherKeyIsABadSignature() {
        Party impostor = new Party(issuer.id, "issuer");
        pipe(alice.id, signed(impostor, alice, List.of("kyc"), harness.now()));

        assertRefusedAndNothingInTheInbox(tuple("bad-signature", harness.catalog.credentialsIssued().name()));
    }

    @Test
    void aConsentRequestSentAgainIsAReplayAndOneOutsideTheWindowIsStaleOrFutureDated() {
        ConsentRequest genuine = signed(issuer, alice, List.of("kyc"), harness.now());
        pipe(alice.id, genuine);
        assertThat(harness.inbox.readValuesToList()).as("the first copy in alice's inbox").hasSize(1);

        pipe(alice.id, genuine);
        pipe(alice.id, signed(issuer, alice, List.of("kyc"), harness.now() - harness.config.replayWindowMs() - 1));
        pipe(alice.id, signed(issuer, alice, List.of("kyc"), harness.now() + Checks.MAX_CLOCK_SKEW_MS + 1));

        String issuance = harness.catalog.credentialsIssued().name();
        assertRefusedAndNothingInTheInbox(tuple("replay", issuance), tuple("stale", issuance),
                tuple("future-dated", issuance));
    }

    @Test
    void aConsentRequestOfMalformedTypesOrIdsIsMalformed() {
        ConsentRequest genuine = signed(issuer, alice, List.of("address", "kyc"), harness.now());
        pipe(alice.id, ConsentRequest.newBuilder(genuine).setCredentialTypes(List.of("kyc", "address")).build());
        pipe(alice.id, ConsentRequest.newBuilder(genuine).setCredentialTypes(List.of()).build());
        pipe(alice.id, ConsentRequest.newBuilder(genuine).setConsentRequestId("not-a-uuid").build());
        pipe(bob.id, genuine);

        String issuance = harness.catalog.credentialsIssued().name();
        assertRefusedAndNothingInTheInbox(tuple("malformed", issuance), tuple("malformed", issuance),
                tuple("malformed", issuance), tuple("key-mismatch", issuance));
    }

    private void assertRefusedAndNothingInTheInbox(Tuple... refusals) {
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(refusals);
        assertThat(harness.inbox.readValuesToList()).as("the holders' inboxes").isEmpty();
    }

    private static ConsentRequest signed(Party issuerSigning, Party holder, List<String> types, long createdAt) {
        return WriteGrantRecords.consentRequest(issuerSigning.signing, UUID.randomUUID().toString(), issuerSigning.id,
                holder.id, types, "to open your account", createdAt);
    }

    private void pipe(String key, ConsentRequest request) {
        harness.issued.pipeInput(key, new IssuanceEvent(request));
    }
}
