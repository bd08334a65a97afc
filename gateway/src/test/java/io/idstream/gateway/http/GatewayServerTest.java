package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DecisionRecords;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.idstream.gateway.http.InMemoryHolderViews.listOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP layer over real HTTP, with views filled in memory and writes recorded: routes, codes and every refusal. */
class GatewayServerTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final RecordingHolderWrites writes = new RecordingHolderWrites();
    final SignedClient client = new SignedClient(clock);
    final CredentialIssued credential = alice.credential();
    GatewayServer server;

    @BeforeEach
    void start() {
        server = start(GatewayLimits.defaults());
    }

    GatewayServer start(GatewayLimits limits) {
        return GatewayServer.start("127.0.0.1", 0, views, writes, new EventStreams(limits), clock, limits);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A record's JSON form as a client parses it (numbers as the smallest type that holds them). */
    static JsonNode asRead(SpecificRecord record) {
        try {
            return SignedClient.MAPPER.readTree(AvroJson.toJson(record).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aHolderReadsHerOwnViewsInTheirJsonForm() {
        views.inboxes.put("alice", listOf(alice.pending(credential)));
        StoredCredential stored = alice.stored(credential);
        views.credentials.put("alice", listOf(stored));
        Grant grant = alice.grant(credential);
        views.grants.put("alice", listOf(new ActiveGrant(grant, 2)));

        Answer inbox = client.get(alice, uri("/v1/holders/alice/inbox"));
        Answer credentials = client.get(alice, uri("/v1/holders/alice/credentials"));
        Answer one = client.get(alice, uri("/v1/holders/alice/credentials/" + credential.getCredentialId()));
        Answer grants = client.get(alice, uri("/v1/holders/alice/grants"));

        assertThat(inbox.status()).isEqualTo(200);
        assertThat(inbox.contentType()).isEqualTo("application/json");
        assertThat(inbox.json().get("requests").get(0))
                .isEqualTo(asRead(views.inboxes.get("alice").get(0)));
        assertThat(credentials.json().get("credentials").get(0)).isEqualTo(asRead(stored));
        assertThat(one.json()).isEqualTo(asRead(stored));
        assertThat(grants.json().get("grants").get(0).get("uses").asInt()).isEqualTo(2);
        assertThat(grants.json().get("grants").get(0).get("grant")).isEqualTo(asRead(grant));
        assertThat(client.get(alice, uri("/v1/holders/alice/credentials/no-such-id")).errorCode())
                .isEqualTo("not-found");
    }

    @Test
    void theAuditTrailPagesByCursor() {
        views.audits.put("alice", java.util.List.of(alice.audit("g-0"), alice.audit("g-1"), alice.audit("g-2")));

        JsonNode first = client.get(alice, uri("/v1/holders/alice/audit?limit=2")).json();
        JsonNode rest = client.get(alice, uri("/v1/holders/alice/audit?after=" + first.get("next").asLong()
                + "&limit=2")).json();

        assertThat(first.get("entries")).extracting(e -> e.get("entry").get("grantId").asText())
                .containsExactly("g-0", "g-1");
        assertThat(first.get("next").asLong()).isEqualTo(1);
        assertThat(rest.get("entries")).extracting(e -> e.get("cursor").asLong()).containsExactly(2L);
        assertThat(rest.get("next").asLong()).isEqualTo(-1);
        assertThat(client.get(alice, uri("/v1/holders/alice/audit?limit=501")).errorCode()).isEqualTo("bad-request");
        assertThat(client.get(alice, uri("/v1/holders/alice/audit?after=x")).errorCode()).isEqualTo("bad-request");
    }

    @Test
    void bobsKeyCannotReadAlicesInbox() {
        views.inboxes.put("alice", listOf(alice.pending(credential)));

        Answer answer = client.get(bob, uri("/v1/holders/alice/inbox"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("forbidden");
        assertThat(answer.body()).doesNotContain(credential.getCredentialId());
    }

    @Test
    void bobCannotSignAsAliceWithHisKey() {
        HttpRequest forged = client.signed("alice", bob, "GET", uri("/v1/holders/alice/inbox"), null,
                clock.epochSeconds(), MessageSignatures.newNonce());

        Answer answer = client.send(forged);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("bad-signature");
    }

    @Test
    void aReplayedRequestIsRefused() {
        HttpRequest request = client.signed(alice, "GET", uri("/v1/holders/alice/inbox"), null);

        Answer first = client.send(request);
        Answer replay = client.send(request);

        assertThat(first.status()).isEqualTo(200);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.errorCode()).isEqualTo("replayed-nonce");
    }

    @Test
    void aSignatureCreated61SecondsAgoIsStale() {
        HttpRequest old = client.signed("alice", alice, "GET", uri("/v1/holders/alice/inbox"), null,
                clock.epochSeconds() - 61, MessageSignatures.newNonce());

        Answer answer = client.send(old);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("stale-signature");
    }

    @Test
    void anAlteredBodyDoesNotMatchItsDigest() {
        Denial denial = DecisionRecords.denial(alice.signing(), "req-1", "alice", TestHolders.NOW);
        byte[] signedBody = AvroJson.toJson(new DecisionEvent(denial)).toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest signed = client.signed(alice, "POST", uri("/v1/holders/alice/decisions"), signedBody);
        byte[] altered = new String(signedBody, StandardCharsets.UTF_8).replace("req-1", "req-2")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest tampered = HttpRequest.newBuilder(signed, (name, value) -> true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(altered)).build();

        Answer answer = client.send(tampered);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("digest-mismatch");
        assertThat(writes.decisions).isEmpty();
    }

    @Test
    void requestsWithoutAValidSignatureOfARegisteredHolderAreRefused() {
        Holder carol = Holder.create("carol");
        Holder issuer = Holder.create("kyc-co");
        Principal issuerRegistration = Principal.newBuilder(issuer.registration()).setRole("issuer").build();
        views.principals.put("kyc-co", new io.idstream.avro.VerifiedPrincipal(issuerRegistration, null, 0L, null, 0L,
                List.of()));

        Answer unsigned = client.send(HttpRequest.newBuilder(uri("/v1/holders/alice/inbox")).build());
        Answer malformed = client.send(HttpRequest.newBuilder(uri("/v1/holders/alice/inbox"))
                .header("Signature-Input", "sig1=(\"@method\"").header("Signature", "sig1=:AA==:").build());
        Answer unknown = client.get(carol, uri("/v1/holders/carol/inbox"));
        Answer notAHolder = client.get(issuer, uri("/v1/holders/kyc-co/inbox"));

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.errorCode()).isEqualTo("missing-signature");
        assertThat(malformed.errorCode()).isEqualTo("malformed-signature");
        assertThat(unknown.errorCode()).isEqualTo("unknown-holder");
        assertThat(notAHolder.errorCode()).isEqualTo("unknown-holder");
    }

    @Test
    void aHoldersSignedDecisionIsWrittenUnderHerId() {
        Denial denial = DecisionRecords.denial(alice.signing(), "req-1", "alice", TestHolders.NOW);

        Answer answer = client.post(alice, uri("/v1/holders/alice/decisions"),
                AvroJson.toJson(new DecisionEvent(denial)));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("accepted").asBoolean()).isTrue();
        assertThat(writes.decisions).singleElement().satisfies(written -> {
            assertThat(written.holderId()).isEqualTo("alice");
            assertThat(written.event().getDecision()).isEqualTo(denial);
        });
    }

    @Test
    void aDecisionSignedByBobIsRefusedUnderAlice() {
        Denial bobs = DecisionRecords.denial(bob.signing(), "req-1", "bob", TestHolders.NOW);
        Denial forgedForAlice = DecisionRecords.denial(bob.signing(), "req-1", "alice", TestHolders.NOW);

        Answer bobPostsUnderAlice = client.post(bob, uri("/v1/holders/alice/decisions"),
                AvroJson.toJson(new DecisionEvent(bobs)));
        Answer aliceRelaysBobs = client.post(alice, uri("/v1/holders/alice/decisions"),
                AvroJson.toJson(new DecisionEvent(bobs)));
        Answer signedByTheWrongKey = client.post(alice, uri("/v1/holders/alice/decisions"),
                AvroJson.toJson(new DecisionEvent(forgedForAlice)));

        assertThat(bobPostsUnderAlice.status()).isEqualTo(403);
        assertThat(aliceRelaysBobs.status()).isEqualTo(403);
        assertThat(aliceRelaysBobs.json().at("/error/message").asText()).contains("holderId is not the signer");
        assertThat(signedByTheWrongKey.status()).isEqualTo(400);
        assertThat(signedByTheWrongKey.json().at("/error/message").asText()).startsWith("decision.signature");
        assertThat(writes.decisions).isEmpty();
    }

    @Test
    void aDecisionThatIsNotTheSchemasIsABadRequestNamingTheMember() {
        ObjectNode body = AvroJson.toJson(new DecisionEvent(DecisionRecords.denial(alice.signing(), "req-1",
                "alice", TestHolders.NOW)));
        ((ObjectNode) body.get("decision")).put("reason", "extra");

        Answer answer = client.post(alice, uri("/v1/holders/alice/decisions"), body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/error/message").asText()).isEqualTo("decision.reason: unknown member");
    }

    @Test
    void aDecisionKafkaDidNotAcknowledgeIsNotAccepted() {
        writes.failing = true;

        Answer answer = client.post(alice, uri("/v1/holders/alice/decisions"), AvroJson.toJson(new DecisionEvent(
                DecisionRecords.denial(alice.signing(), "req-1", "alice", TestHolders.NOW))));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errorCode()).isEqualTo("unavailable");
    }

    @Test
    void aNewHolderRegistersWithTheKeyInHerRegistration() {
        Holder carol = Holder.create("carol");
        Holder mallory = Holder.create("carol");
        Principal selfSignedByMallory = Principal.newBuilder(carol.registration())
                .setSignature(mallory.registration().getSignature()).build();

        Answer registered = client.post(carol, uri("/v1/holders"), AvroJson.toJson(carol.registration()));
        Answer signedByAnotherKey = client.post(mallory, uri("/v1/holders"), AvroJson.toJson(carol.registration()));
        Answer registrationNotSelfSigned = client.post(carol, uri("/v1/holders"),
                AvroJson.toJson(selfSignedByMallory));
        Answer notAHolder = client.post(carol, uri("/v1/holders"), AvroJson.toJson(
                Principal.newBuilder(carol.registration()).setRole("consumer").build()));

        assertThat(registered.status()).isEqualTo(202);
        assertThat(registered.json().get("holderId").asText()).isEqualTo("carol");
        assertThat(signedByAnotherKey.errorCode()).isEqualTo("bad-signature");
        assertThat(registrationNotSelfSigned.status()).isEqualTo(400);
        assertThat(registrationNotSelfSigned.json().at("/error/message").asText()).startsWith("signature");
        assertThat(notAHolder.status()).isEqualTo(400);
        assertThat(writes.registrations).containsExactly(carol.registration());
    }

    @Test
    void aRegisteredIdIsReRegisteredOnlyUnderTheKeyAlreadyBoundToIt() {
        Holder malloryAsBob = Holder.create("bob");
        Holder bobWithANewKey = Holder.create("bob");
        // A rotation carries the new keys and is signed by the key bound now (docs/protocol.md section 7).
        Principal rotation = PrincipalRecords.registration(bob.signing(), new PrincipalStatement("bob", "holder",
                bobWithANewKey.signing().publicKey(), bobWithANewKey.encryption().publicKey(), "bob display",
                TestHolders.NOW + 1));
        byte[] rotationBody = AvroJson.toJson(rotation).toString().getBytes(StandardCharsets.UTF_8);
        byte[] selfSignedBody = AvroJson.toJson(bobWithANewKey.registration()).toString()
                .getBytes(StandardCharsets.UTF_8);

        Answer takeover = client.post(malloryAsBob, uri("/v1/holders"), AvroJson.toJson(malloryAsBob.registration()));
        Answer rotationSignedByTheNewKey = client.send(client.signed(bobWithANewKey, "POST", uri("/v1/holders"),
                rotationBody));
        Answer selfSignedUnderTheBoundKeysRequest = client.send(client.signed("bob", bob, "POST",
                uri("/v1/holders"), selfSignedBody, clock.epochSeconds(), MessageSignatures.newNonce()));
        Answer rotationSignedByTheBoundKey = client.send(client.signed("bob", bob, "POST", uri("/v1/holders"),
                rotationBody, clock.epochSeconds(), MessageSignatures.newNonce()));

        assertThat(takeover.status()).isEqualTo(401);
        assertThat(takeover.errorCode()).isEqualTo("bad-signature");
        assertThat(rotationSignedByTheNewKey.errorCode()).isEqualTo("bad-signature");
        assertThat(selfSignedUnderTheBoundKeysRequest.status()).isEqualTo(400);
        assertThat(selfSignedUnderTheBoundKeysRequest.json().at("/error/message").asText())
                .contains("not signed by the key bound to 'bob'");
        assertThat(rotationSignedByTheBoundKey.status()).as(rotationSignedByTheBoundKey.body()).isEqualTo(202);
        assertThat(writes.registrations).containsExactly(rotation);
    }

    @Test
    void aVerifiedPrincipalIsReadByAnyHolder() {
        Answer bobAsSeenByAlice = client.get(alice, uri("/v1/principals/bob"));
        Answer nobody = client.get(alice, uri("/v1/principals/nobody"));

        assertThat(bobAsSeenByAlice.status()).isEqualTo(200);
        assertThat(bobAsSeenByAlice.json()).isEqualTo(asRead(bob.verified()));
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.errorCode()).isEqualTo("not-found");
    }

    @Test
    void aBodyOver64KibIsRefusedWhetherItsLengthIsAnnouncedOrNot() throws IOException {
        byte[] large = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(large, (byte) ' ');

        Answer announced = client.send(client.signed(alice, "POST", uri("/v1/holders/alice/decisions"), large));
        String chunked = chunkedUploadAnswer(large);

        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.errorCode()).isEqualTo("too-large");
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"too-large\"");
    }

    /**
     * Sends alice's signed decision of {@code body} in one chunk with no length announced and no last chunk, then
     * reads the answer: the server has every byte sent when it refuses, so it closes without a reset, and the answer
     * is read whole whether the server closes before or after the client is done writing.
     */
    private String chunkedUploadAnswer(byte[] body) throws IOException {
        String path = "/v1/holders/alice/decisions";
        String host = "127.0.0.1:" + server.port();
        MessageSignatures.SignedHeaders signed = MessageSignatures.sign(alice.signing(), "alice", "POST",
                URI.create("http://" + host + path), body, clock.epochSeconds(), MessageSignatures.newNonce());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nSignature-Input: "
                    + signed.signatureInput() + "\r\nSignature: " + signed.signature() + "\r\nContent-Digest: "
                    + signed.contentDigest() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n" + Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(body);
            try {
                socket.getOutputStream().write(request.toByteArray());
                socket.getOutputStream().flush();
            } catch (IOException refusedWhileWriting) {
                // The answer may have been sent before the last bytes: it is read below either way.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read = socket.getInputStream().read(buffer); read >= 0;
                     read = socket.getInputStream().read(buffer)) {
                    answer.write(buffer, 0, read);
                }
            } catch (IOException cut) {
                if (!answer.toString(StandardCharsets.US_ASCII).contains("too-large")) {
                    throw cut;
                }
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void unknownRoutesAndWrongMethodsAnswerInJson() {
        Answer unknown = client.get(alice, uri("/v1/holders/alice/wallet"));
        Answer wrongMethod = client.send(client.signed(alice, "DELETE", uri("/v1/holders/alice/inbox"), null));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("not-found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo("method-not-allowed");
        assertThat(wrongMethod.response().headers().firstValue("allow")).contains("GET");
    }

    @Test
    void tooManyRequestsFromOneHolderWithinTheWindowAreRefusedUntilItPasses() {
        server.close();
        server = start(GatewayLimits.defaults().withNoncesPerHolder(3));

        for (int i = 0; i < 3; i++) {
            assertThat(client.get(alice, uri("/v1/holders/alice/inbox")).status()).isEqualTo(200);
        }
        Answer fourth = client.get(alice, uri("/v1/holders/alice/inbox"));
        Answer bobMeanwhile = client.get(bob, uri("/v1/holders/bob/inbox"));
        clock.advanceSeconds(121);
        Answer afterTheWindow = client.get(alice, uri("/v1/holders/alice/inbox"));

        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.errorCode()).isEqualTo("too-many-requests");
        assertThat(bobMeanwhile.status()).isEqualTo(200);
        assertThat(afterTheWindow.status()).isEqualTo(200);
    }

    @Test
    void whileTheGatewayRebalancesItAsksTheHolderToRetry() {
        views.owner = Optional.empty();

        Answer answer = client.get(alice, uri("/v1/holders/alice/inbox"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errorCode()).isEqualTo("unavailable");
        assertThat(answer.response().headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void aServerStartedBeforeItsViewsAsksHoldersToRetryUntilTheyAreReady() {
        server.close();
        StartingHolderViews starting = new StartingHolderViews();
        server = GatewayServer.start("127.0.0.1", 0, starting, writes, new EventStreams(GatewayLimits.defaults()),
                clock, GatewayLimits.defaults());

        Answer beforeReady = client.get(alice, uri("/v1/holders/alice/inbox"));
        starting.ready(views);
        Answer afterReady = client.get(alice, uri("/v1/holders/alice/inbox"));

        assertThat(beforeReady.status()).isEqualTo(503);
        assertThat(beforeReady.errorCode()).isEqualTo("unavailable");
        assertThat(afterReady.status()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentIsServedWithoutASignature() {
        Answer answer = client.send(HttpRequest.newBuilder(uri("/v1/openapi.yaml")).build());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/yaml");
        assertThat(answer.body()).startsWith("openapi: 3.1.0");
    }
}
