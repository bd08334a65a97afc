package io.idstream.sdk;

import io.idstream.avro.CredentialStatus;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A holder on the holder gateway checks what the gateway serves before it shows it or uses its keys: it shows a
 * request only with its consumer's signature, uses a consumer's or issuer's keys only under an accreditation that an
 * operator key it pins signed, and opens a credential only with its issuer's signature. The gateway here is a
 * recording stand-in that serves what each test gives it.
 */
class HolderClientOverGatewayTest {
    static final HolderClient.Scope A_DAY_FIVE_USES = new HolderClient.Scope(null, Duration.ofDays(1), 5);

    final DeliveryFixture fixture = new DeliveryFixture();
    final SigningKeyPair operator = SigningKeyPair.generate();
    final RecordingGateway server = new RecordingGateway();
    final HolderClient alice = new HolderClient(fixture.holder, new GatewayConnection(server.url(), fixture.holder),
            ConsumerTrust.forHolder(List.of(operator.publicKey())));

    HolderClientOverGatewayTest() throws IOException {
        server.answer("GET", "/v1/holders/alice/credentials", 200, "{\"credentials\":["
                + RecordingGateway.json(fixture.stored(CredentialStatus.ACTIVE)) + "]}");
        server.answer("GET", "/v1/holders/alice/credentials/" + fixture.credential.getCredentialId(), 200,
                RecordingGateway.json(fixture.stored(CredentialStatus.ACTIVE)));
        server.answer("POST", "/v1/holders/alice/decisions", 202, "{\"accepted\":true}");
    }

    @AfterEach
    void stop() {
        alice.close();
        server.close();
    }

    /** The consumer's registration, with its real keys, as the directory holds it. */
    private VerifiedPrincipal consumerEntry() {
        Principal registration = PrincipalRecords.registration(fixture.consumer.signing(), new PrincipalStatement(
                "exchange-a", "consumer", fixture.consumer.signing().publicKey(),
                fixture.consumer.encryption().publicKey(), "Exchange A", 1_000L));
        return new VerifiedPrincipal(registration, null, 1_000L, null, 0L, List.of());
    }

    private void serveConsumer(VerifiedPrincipal entry) {
        server.answer("GET", "/v1/principals/exchange-a", 200, RecordingGateway.json(entry));
    }

    /** A pending request for the holder's credential, its request signed by {@code signer}. */
    private PendingRequest pending(SigningKeyPair signer) {
        return new PendingRequest(RequestRecords.signed(signer, new RequestStatement(UUID.randomUUID().toString(),
                "exchange-a", "alice", "kyc", "", "onboarding", 1_000L, List.of("country"))), "Exchange A", true,
                fixture.credential.getCredentialId(), "kyc", "kyc-co", 1_000L, Long.MAX_VALUE);
    }

    private void serveInbox(PendingRequest... requests) {
        server.answer("GET", "/v1/holders/alice/inbox", 200, "{\"requests\":[" + List.of(requests).stream()
                .map(RecordingGateway::json).collect(Collectors.joining(",")) + "]}");
    }

    private static String idOf(PendingRequest request) {
        return request.getRequest().getRequestId();
    }

    private List<Grant> grantsPosted() throws IOException {
        List<Grant> grants = new ArrayList<>();
        for (RecordingGateway.Received request : server.received) {
            if (request.method().equals("POST")) {
                grants.add((Grant) AvroJson.fromJson(GatewayConnection.JSON.readTree(request.body()),
                        DecisionEvent.class).getDecision());
            }
        }
        return grants;
    }

    @Test
    void aPendingRequestNotSignedByTheConsumersKeyIsNotShown() {
        // Given a gateway that serves a request of exchange-a and one signed with another key in its name
        serveConsumer(TrustedDirectory.accredited(consumerEntry(), operator));
        PendingRequest genuine = pending(fixture.consumer.signing());
        PendingRequest forged = pending(SigningKeyPair.generate());
        serveInbox(genuine, forged);

        // When alice reads her inbox, then only the genuine request is shown, and the forged one is reported
        assertThat(alice.inbox()).extracting(HolderClientOverGatewayTest::idOf).containsExactly(idOf(genuine));
        assertThat(alice.skippedRecords()).extracting(SkippedRecord::reason).containsExactly("request "
                + idOf(forged) + " does not carry a valid signature of consumer 'exchange-a'");
    }

    @Test
    void aConsumerAccreditedByAnOperatorKeyThatIsNotPinnedIsShownNotAccreditedAndApprovingItIsRefused()
            throws IOException {
        // Given exchange-a's entry with an accreditation signed by an operator key alice does not pin
        SigningKeyPair rogueOperator = SigningKeyPair.generate();
        serveConsumer(TrustedDirectory.accredited(consumerEntry(), rogueOperator));
        PendingRequest request = pending(fixture.consumer.signing());
        serveInbox(request);

        // When alice reads her inbox, then the request is shown, as from a consumer that is not accredited
        assertThat(alice.inbox()).singleElement().satisfies(shown -> {
            assertThat(idOf(shown)).isEqualTo(idOf(request));
            assertThat(shown.getConsumerAccredited()).as("consumerAccredited").isFalse();
        });
        // And approving it is refused, saying why, and no grant reaches the gateway
        assertThatThrownBy(() -> alice.approve(idOf(request), A_DAY_FIVE_USES))
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining("no grant to 'exchange-a': consumer 'exchange-a' is accredited by operator key "
                        + HexFormat.of().formatHex(rogueOperator.publicKey()) + ", which this holder does not pin");
        assertThat(grantsPosted()).isEmpty();
    }

    @Test
    void approvingAConsumerAccreditedUnderAPinnedKeyWrapsTheGrantToItsKey() throws IOException {
        // Given exchange-a accredited by the operator key alice pins
        serveConsumer(TrustedDirectory.accredited(consumerEntry(), operator));
        PendingRequest request = pending(fixture.consumer.signing());
        serveInbox(request);
        assertThat(alice.inbox()).singleElement().extracting(PendingRequest::getConsumerAccredited).isEqualTo(true);

        // When alice approves
        String grantId = alice.approve(idOf(request), A_DAY_FIVE_USES);

        // Then the gateway received her signed grant, whose field key only exchange-a's encryption key opens
        assertThat(grantsPosted()).singleElement().satisfies(grant -> {
            assertThat(grant.getGrantId()).isEqualTo(grantId);
            GrantRecords.verify(fixture.holder.signing().publicKey(), grant);
            DeliveryVerification opened = new DeliveryVerifier(fixture.consumer.encryption()).verify(
                    DeliveryRecords.toDelivery(fixture.delivery(grant, List.of("country"), grant.getIssuedAt() + 1)),
                    fixture.issuer.publicKey(), fixture.holder.signing().publicKey());
            assertThat(opened).isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                    verified -> assertThat(verified.values()).containsExactly(Map.entry("country", "DE")));
        });
    }

    @Test
    void anAccreditedEntryWhoseEncryptionKeyWasSwappedIsNotTrusted() throws IOException {
        // Given exchange-a's accredited entry, its encryption key replaced by one the gateway holds
        VerifiedPrincipal accredited = TrustedDirectory.accredited(consumerEntry(), operator);
        Principal swapped = Principal.newBuilder(accredited.getPrincipal())
                .setEncryptionKey(ByteBuffer.wrap(EncryptionKeyPair.generate().publicKey())).build();
        serveConsumer(VerifiedPrincipal.newBuilder(accredited).setPrincipal(swapped).build());

        // When alice grants to exchange-a, then she refuses, and nothing is wrapped to the swapped key
        assertThatThrownBy(() -> alice.grant("exchange-a", fixture.credential.getCredentialId(), "onboarding",
                new HolderClient.Scope(List.of("country"), Duration.ofDays(1), 5))).isInstanceOf(IdstreamException.class)
                .hasMessageContaining("the registration of 'exchange-a' does not carry its own valid signature");
        assertThat(grantsPosted()).isEmpty();
    }

    @Test
    void aCredentialOpensOnlyWithTheSignatureOfAnIssuerAccreditedUnderAPinnedKey() {
        // Given kyc-co's entry, accredited by the pinned operator key, with the key that signed the credential
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(
                TrustedDirectory.accredited(TrustedDirectory.entry("kyc-co", "issuer", fixture.issuer), operator)));

        // Then the credential opens, here
        assertThat(alice.open(fixture.credential.getCredentialId())).containsEntry("country", "DE");

        // Given instead an entry for kyc-co, accredited the same way, with another key
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(TrustedDirectory.accredited(
                TrustedDirectory.entry("kyc-co", "issuer", SigningKeyPair.generate()), operator)));

        // Then it does not open
        assertThatThrownBy(() -> alice.open(fixture.credential.getCredentialId()))
                .isInstanceOf(IdstreamException.class)
                .hasMessageStartingWith("credential " + fixture.credential.getCredentialId() + " does not open: ");
    }
}
