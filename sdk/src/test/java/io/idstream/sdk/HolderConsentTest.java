package io.idstream.sdk;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A holder's consent before issuance over the gateway (docs/protocol.md section 6a): the consent requests shown are
 * only those addressed to her, from an issuer a pinned operator key accredits, with that issuer's signature; the
 * write grants she signs name the issuer, the types and an end, and verify under her key.
 */
class HolderConsentTest {
    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    final DeliveryFixture fixture = new DeliveryFixture();
    final SigningKeyPair operator = SigningKeyPair.generate();
    final RecordingGateway server = new RecordingGateway();
    final HolderClient alice = new HolderClient(fixture.holder, new GatewayConnection(server.url(), fixture.holder),
            ConsumerTrust.forHolder(List.of(operator.publicKey())));

    HolderConsentTest() throws IOException {
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(TrustedDirectory.accredited(
                TrustedDirectory.entry("kyc-co", "issuer", fixture.issuer), operator)));
        server.answer("POST", "/v1/holders/alice/decisions", 202, "{\"accepted\":true}");
    }

    @AfterEach
    void stop() {
        alice.close();
        server.close();
    }

    private static ConsentRequest request(SigningKeyPair signer, String issuerId, String holderId) {
        return WriteGrantRecords.consentRequest(signer, UUID.randomUUID().toString(), issuerId, holderId,
                List.of("kyc"), "onboarding", 1_000L);
    }

    private void serve(ConsentRequest... requests) {
        server.answer("GET", "/v1/holders/alice/consent-requests", 200, "{\"consentRequests\":["
                + List.of(requests).stream().map(RecordingGateway::json).collect(Collectors.joining(",")) + "]}");
    }

    private List<Object> decisionsPosted() throws IOException {
        List<Object> decisions = new ArrayList<>();
        for (RecordingGateway.Received request : server.received) {
            if (request.method().equals("POST")) {
                decisions.add(AvroJson.fromJson(GatewayConnection.JSON.readTree(request.body()), DecisionEvent.class)
                        .getDecision());
            }
        }
        return decisions;
    }

    @Test
    void aForgedOrMisaddressedConsentRequestIsNotShownAndIsReported() {
        // Given kyc-co's genuine request, one signed with another key in its name, and one of its own for bob
        ConsentRequest genuine = request(fixture.issuer, "kyc-co", "alice");
        ConsentRequest forged = request(SigningKeyPair.generate(), "kyc-co", "alice");
        ConsentRequest misaddressed = request(fixture.issuer, "kyc-co", "bob");
        serve(genuine, forged, misaddressed);

        // When alice reads them, then only the genuine one is shown, and the others are reported, saying why
        assertThat(alice.consentRequests()).extracting(ConsentRequest::getConsentRequestId)
                .containsExactly(genuine.getConsentRequestId());
        assertThat(alice.skippedRecords()).extracting(SkippedRecord::reason).containsExactly(
                "consent request " + forged.getConsentRequestId()
                        + " does not carry a valid signature of issuer 'kyc-co'",
                "consent request " + misaddressed.getConsentRequestId() + " is addressed to 'bob', not to 'alice'");
    }

    @Test
    void aConsentRequestFromAnIssuerNoPinnedOperatorKeyAccreditsIsNotShown() {
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(TrustedDirectory.accredited(
                TrustedDirectory.entry("kyc-co", "issuer", fixture.issuer), SigningKeyPair.generate())));
        ConsentRequest unaccredited = request(fixture.issuer, "kyc-co", "alice");
        serve(unaccredited);

        assertThat(alice.consentRequests()).isEmpty();
        assertThat(alice.skippedRecords()).singleElement().extracting(SkippedRecord::reason).asString()
                .startsWith("consent request " + unaccredited.getConsentRequestId()
                        + " is from an issuer this holder does not trust: issuer 'kyc-co' is accredited by operator "
                        + "key ");
    }

    @Test
    void aWriteGrantNamesTheIssuerTypesAndEndAndVerifiesUnderTheHoldersKey() throws IOException {
        String consentRequestId = UUID.randomUUID().toString();

        String writeGrantId = alice.allowIssuer("kyc-co", List.of("kyc", "address"), Duration.ofDays(30),
                consentRequestId);

        assertThat(decisionsPosted()).singleElement().isInstanceOfSatisfying(WriteGrant.class, grant -> {
            WriteGrantRecords.verify(fixture.holder.signing().publicKey(), grant);
            assertThat(grant.getWriteGrantId()).isEqualTo(writeGrantId);
            assertThat(grant.getIssuerId()).isEqualTo("kyc-co");
            assertThat(grant.getConsentRequestId()).isEqualTo(consentRequestId);
            assertThat(grant.getCredentialTypes()).containsExactly("address", "kyc");
            assertThat(grant.getExpiresAt() - grant.getIssuedAt()).isEqualTo(Duration.ofDays(30).toMillis());
        });
    }

    @Test
    void consentWithoutAnEndIsRefusedBeforeAnythingIsSent() throws IOException {
        assertThatThrownBy(() -> alice.allowIssuer("kyc-co", List.of("kyc"), null, null))
                .isInstanceOf(IdstreamException.class).hasMessageContaining("consent to an issuer always ends");
        assertThat(decisionsPosted()).isEmpty();
    }

    @Test
    void disallowingAnIssuerEndsEachOfItsWriteGrantsInForceThatCarryTheHoldersSignature() throws IOException {
        // Given two write grants of kyc-co's, one of another issuer's, and one in alice's name she did not sign
        long now = System.currentTimeMillis();
        WriteGrant first = grant(fixture.holder.signing(), "kyc-co", now);
        WriteGrant second = grant(fixture.holder.signing(), "kyc-co", now);
        WriteGrant other = grant(fixture.holder.signing(), "other-co", now);
        WriteGrant forged = grant(SigningKeyPair.generate(), "kyc-co", now);
        server.answer("GET", "/v1/holders/alice/write-grants", 200, "{\"writeGrants\":[" + List.of(first, second,
                other, forged).stream().map(RecordingGateway::json).collect(Collectors.joining(",")) + "]}");

        // When alice disallows kyc-co, then she ends exactly its two genuine write grants
        assertThat(alice.disallowIssuerAll("kyc-co")).isEqualTo(2);
        assertThat(decisionsPosted()).allSatisfy(decision -> WriteGrantRecords.verify(
                fixture.holder.signing().publicKey(), (WriteGrantRevocation) decision))
                .extracting(decision -> ((WriteGrantRevocation) decision).getWriteGrantId())
                .containsExactly(first.getWriteGrantId(), second.getWriteGrantId());
    }

    private static WriteGrant grant(SigningKeyPair signer, String issuerId, long now) {
        return WriteGrantRecords.writeGrant(signer, UUID.randomUUID().toString(), "alice", issuerId, "",
                List.of("kyc"), now, now + 60_000L);
    }
}
