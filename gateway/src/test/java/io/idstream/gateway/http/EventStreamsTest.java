package io.idstream.gateway.http;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.gateway.views.HolderViews.AuditEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Event streams over real HTTP: what reaches them, what does not, and how they end. */
class EventStreamsTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final SignedClient client = new SignedClient(clock);
    final CredentialIssued credential = alice.credential();
    EventStreams events;
    GatewayServer server;

    void start(GatewayLimits limits) {
        events = new EventStreams(limits);
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(), events, clock, limits);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void eachChangeOfTheHoldersViewsReachesHerOpenStreamAndNoOneElses() throws Exception {
        start(GatewayLimits.defaults());
        EventReader reader = EventReader.open(client.http,
                client.signed(alice, "GET", uri("/v1/holders/alice/events"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 1);
        PendingRequest pending = alice.pending(credential);
        ActiveGrant grant = new ActiveGrant(alice.grant(credential), 1);

        events.requestPending("bob", bob.pending(bob.credential()));
        events.requestPending("alice", pending);
        events.audited("alice", new AuditEntry(7, alice.audit("g-1")));
        events.grantChanged("alice", "g-1", grant);
        events.grantChanged("alice", "g-1", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> reader.data("grant").size() == 2);
        assertThat(reader.data("inbox")).containsExactly(GatewayServerTest.asRead(pending).toString());
        assertThat(SignedClient.MAPPER.readTree(reader.data("audit").get(0)).get("cursor").asLong()).isEqualTo(7);
        assertThat(SignedClient.MAPPER.readTree(reader.data("grant").get(0)).at("/grant/uses").asInt()).isEqualTo(1);
        assertThat(SignedClient.MAPPER.readTree(reader.data("grant").get(1)).get("grant").isNull()).isTrue();
        reader.close();
    }

    @Test
    void anIdleStreamIsKeptOpenWithCommentsAndFreedWhenItsReaderLeaves() {
        start(GatewayLimits.defaults().withKeepAliveInterval(Duration.ofMillis(200)));
        EventReader reader = EventReader.open(client.http,
                client.signed(alice, "GET", uri("/v1/holders/alice/events"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> reader.lines.contains(": keepalive"));
        reader.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> events.openStreams() == 0);
    }

    @Test
    void aReaderThatFallsBehindIsDisconnectedWithoutHoldingUpOthers() throws IOException {
        start(GatewayLimits.defaults().withQueuedEventsPerStream(4));
        EventReader fast = EventReader.open(client.http,
                client.signed(bob, "GET", uri("/v1/holders/alice/events".replace("alice", "bob")), null));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            sendEventsRequest(slow, alice);
            readHeaders(slow.getInputStream());
            await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 2);
            PendingRequest pending = alice.pending(credential);
            PendingRequest large = new PendingRequest(pending.getRequest(), "x".repeat(16 * 1024), true,
                    pending.getCredentialId(), "kyc", "kyc-co", TestHolders.NOW, TestHolders.NOW + 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    events.requestPending("alice", large);
                }
                return events.openStreams() == 1;
            });
            slow.setSoTimeout(10_000);
            assertThat(readsToTheEnd(slow.getInputStream())).as("the gateway closed the slow reader's connection")
                    .isTrue();
        }
        events.requestPending("bob", bob.pending(bob.credential()));
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.data("inbox").size() == 1);
        fast.close();
    }

    private void sendEventsRequest(Socket socket, Holder holder) throws IOException {
        String path = "/v1/holders/" + holder.id() + "/events";
        String host = "127.0.0.1:" + server.port();
        SignedHeaders signed = MessageSignatures.sign(holder.signing(), holder.id(), "GET",
                URI.create("http://" + host + path), null, clock.epochSeconds(), MessageSignatures.newNonce());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nSignature-Input: " + signed.signatureInput()
                + "\r\nSignature: " + signed.signature() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads what the gateway sent until the connection ends; false when it stays open for the socket's timeout. */
    private static boolean readsToTheEnd(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                continue;
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the stream ended before its headers: " + head);
            }
            head.append((char) next);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("content-type: text/event-stream");
    }
}
