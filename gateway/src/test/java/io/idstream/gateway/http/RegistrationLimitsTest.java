package io.idstream.gateway.http;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.PrincipalRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anyone may register, and each new id is a directory entry for good: registrations are paced per source address and
 * per instance before their body is read, a registration the directory has already is not written again, and the
 * nonce cache holds a bounded number of holders.
 */
@Timeout(60)
class RegistrationLimitsTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final RecordingHolderWrites writes = new RecordingHolderWrites();
    final SignedClient client = new SignedClient(clock);
    GatewayServer server;

    void start(GatewayLimits limits) {
        server = GatewayServer.start("127.0.0.1", 0, views, writes, new EventStreams(limits, clock), clock, limits);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Answer register(Holder holder) {
        return client.post(holder, uri("/v1/holders"), AvroJson.toJson(holder.registration()));
    }

    @Test
    void oneAddressRegistersTenIdsAMinuteAndTheEleventhIsToldWhenToRetryBeforeItsBodyIsRead() {
        start(GatewayLimits.defaults());
        for (int i = 0; i < 10; i++) {
            assertThat(register(Holder.create("new-" + i)).status()).isEqualTo(202);
        }

        Answer eleventh = register(Holder.create("new-10"));
        Answer notEvenJson = client.send(HttpRequest.newBuilder(uri("/v1/holders"))
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build());

        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.errorCode()).isEqualTo("too-many-requests");
        assertThat(eleventh.response().headers().firstValue("retry-after")).hasValueSatisfying(seconds ->
                assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(notEvenJson.status()).as(notEvenJson.body()).isEqualTo(429);
        assertThat(writes.registrations).hasSize(10);

        clock.advanceSeconds(6);
        assertThat(register(Holder.create("new-11")).status()).as("a token is back after 6 s").isEqualTo(202);
    }

    @Test
    void aRefusalSentBeforeTheBodyArrivedTellsTheClientTheConnectionCloses() throws IOException {
        start(GatewayLimits.defaults());
        for (int i = 0; i < 10; i++) {
            assertThat(register(Holder.create("new-" + i)).status()).isEqualTo(202);
        }

        // The headers alone, as a client sends them before its body: the gateway refuses at once, and closes the
        // connection rather than read the body. A client told nothing would send its next request on a connection
        // about to close, and get no answer at all.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /v1/holders HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String head = readHead(socket.getInputStream()).toLowerCase(Locale.ROOT);

            assertThat(head).startsWith("http/1.1 429").contains("\r\nconnection: close");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    @Test
    void theInstanceTakesItsShareOfRegistrationsAMinuteFromAllAddresses() {
        start(GatewayLimits.defaults().withRegistrationsPerMinute(100, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(register(Holder.create("new-" + i)).status()).isEqualTo(202);
        }

        Answer fourth = register(Holder.create("new-3"));

        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.json().at("/error/message").asText()).contains("to this gateway");
    }

    @Test
    void aRegistrationTheDirectoryHasAlreadyIsAcceptedWithoutBeingWrittenAgain() {
        start(GatewayLimits.defaults());
        VerifiedPrincipal inForce = alice.verified();
        byte[] newer = AvroJson.toJson(PrincipalRecords.registration(alice.signing(),
                new PrincipalStatement("alice", "holder", alice.signing().publicKey(),
                        alice.encryption().publicKey(), "alice renamed",
                        inForce.getPrincipal().getRegisteredAt() + 1))).toString()
                .getBytes(StandardCharsets.UTF_8);

        Answer again = register(alice);
        Answer againAndAgain = register(alice);
        Answer renamed = client.send(client.signed(alice, "POST", uri("/v1/holders"), newer));

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("holderId").asText()).isEqualTo("alice");
        assertThat(againAndAgain.status()).isEqualTo(202);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(202);
        assertThat(writes.registrations).extracting(p -> p.getDisplayName()).containsExactly("alice renamed");
    }

    @Test
    void theNonceCacheHoldsABoundedNumberOfHolders() {
        start(GatewayLimits.defaults().withHoldersWithNonces(1));
        assertThat(client.get(alice, uri("/v1/holders/alice/inbox")).status()).isEqualTo(200);

        Answer bobsRequest = client.get(bob, uri("/v1/holders/bob/inbox"));
        Answer alicesNext = client.send(client.signed("alice", alice, "GET", uri("/v1/holders/alice/inbox"), null,
                clock.epochSeconds(), MessageSignatures.newNonce()));

        assertThat(bobsRequest.status()).isEqualTo(503);
        assertThat(bobsRequest.errorCode()).isEqualTo("unavailable");
        assertThat(alicesNext.status()).as("a holder the cache holds is still served").isEqualTo(200);
        assertThat(server.holdersWithNonces()).isEqualTo(1);
    }
}
