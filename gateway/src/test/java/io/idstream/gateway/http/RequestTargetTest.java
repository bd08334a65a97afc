package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.gateway.http.TestHolders.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.idstream.gateway.http.InMemoryHolderViews.listOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path and the authority a request is routed by and verified for (docs/protocol.md section 16, "The gateway's
 * side"), sent over raw sockets: an HTTP client would normalize the very request lines these tests send.
 */
@Timeout(60)
class RequestTargetTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    GatewayServer server;

    @BeforeEach
    void start() {
        views.inboxes.put("bob", listOf(bob.pending(bob.credential())));
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(),
                new EventStreams(GatewayLimits.defaults()), clock, GatewayLimits.defaults(),
                List.of("gateway.example:8443"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String authority() {
        return "127.0.0.1:" + server.port();
    }

    /** The request line and headers as given, signed by {@code signer} over {@code signedUri}; the answer. */
    RawAnswer send(Holder signer, String requestTarget, String host, URI signedUri, String... extraHeaders) {
        SignedHeaders signature = MessageSignatures.sign(signer.signing(), signer.id(), "GET", signedUri, null,
                clock.epochSeconds(), MessageSignatures.newNonce());
        StringBuilder request = new StringBuilder("GET " + requestTarget + " HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Signature-Input: ").append(signature.signatureInput()).append("\r\n")
                .append("Signature: ").append(signature.signature()).append("\r\n")
                .append("Connection: close\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return RawAnswer.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/holders/alice/../bob/inbox",
            "/v1/holders/alice/%2e%2e/bob/inbox",
            "/v1/holders/alice/%2E%2E/bob/inbox",
            "/v1/holders/bob/./inbox",
            "/v1/holders//bob/inbox",
            "/v1/holders/bob/inbox/",
            "/v1/holders/bob;x=1/inbox",
            "/v1/holders/%62ob/inbox",
            "/v1/holders/bob%2Finbox"})
    void aPathThatIsNotCanonicalIsABadRequestBeforeAnythingIsVerified(String path) {
        RawAnswer answer = send(bob, path, authority(), URI.create("http://" + authority() + path));

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.errorCode()).as(answer.text()).isEqualTo("bad-request");
        assertThat(answer.text()).doesNotContain(bob.credential().getCredentialId());
    }

    @Test
    void aCanonicalPathWithAConfiguredAuthorityIsServed() {
        String path = "/v1/holders/bob/inbox";

        RawAnswer loopback = send(bob, path, authority(), URI.create("http://" + authority() + path));
        RawAnswer byName = send(bob, path, "LocalHost:" + server.port(),
                URI.create("http://localhost:" + server.port() + path));
        RawAnswer publicName = send(bob, path, "gateway.example:8443",
                URI.create("http://gateway.example:8443" + path));

        assertThat(loopback.status()).as(loopback.text()).isEqualTo(200);
        assertThat(byName.status()).as(byName.text()).isEqualTo(200);
        assertThat(publicName.status()).as(publicName.text()).isEqualTo(200);
    }

    @Test
    void anotherAuthorityIsABadRequestBeforeItsSignatureIsVerified() {
        String path = "/v1/holders/bob/inbox";

        RawAnswer answer = send(bob, path, "attacker.example", URI.create("http://attacker.example" + path));

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.errorCode()).as(answer.text()).isEqualTo("bad-request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s/v1/holders/alice/inbox#", "127.0.0.1/v1/holders/alice/inbox#:%d"})
    void aHostHeaderCarryingAPathDoesNotChangeThePathThatIsVerified(String hostTemplate) {
        // Alice's signature covers her own inbox; the Host header tries to splice that path before the one routed.
        String injected = hostTemplate.contains("%s") ? String.format(hostTemplate, authority())
                : String.format(hostTemplate, server.port());
        URI signedByAlice = URI.create("http://" + injected + "/v1/holders/bob/inbox");

        RawAnswer answer = send(alice, "/v1/holders/bob/inbox", injected, signedByAlice);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.errorCode()).as(answer.text()).isEqualTo("bad-request");
        assertThat(answer.text()).doesNotContain(bob.credential().getCredentialId());
    }

    @Test
    void anAbsoluteFormRequestLineGivesTheAuthorityAndTheListenerGivesTheScheme() {
        String path = "/v1/holders/bob/inbox";
        URI absolute = URI.create("http://" + authority() + path);

        RawAnswer lineWins = send(bob, absolute.toString(), "attacker.example", absolute);
        RawAnswer lineForAnotherAuthority = send(bob, "http://attacker.example" + path, authority(),
                URI.create("http://attacker.example" + path));
        RawAnswer httpsClaimedByTheLine = send(bob, "https://" + authority() + path, authority(),
                URI.create("https://" + authority() + path));
        RawAnswer httpsClaimedByAHeader = send(bob, path, authority(), URI.create("https://" + authority() + path),
                "X-Forwarded-Proto: https", "Forwarded: proto=https");

        assertThat(lineWins.status()).as(lineWins.text()).isEqualTo(200);
        assertThat(lineForAnotherAuthority.errorCode()).as(lineForAnotherAuthority.text()).isEqualTo("bad-request");
        assertThat(httpsClaimedByTheLine.errorCode()).as(httpsClaimedByTheLine.text()).isEqualTo("bad-signature");
        assertThat(httpsClaimedByAHeader.errorCode()).as(httpsClaimedByAHeader.text()).isEqualTo("bad-signature");
    }

    record RawAnswer(int status, String text, String body) {
        static RawAnswer parse(String response) {
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new RawAnswer(status, response, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        }

        String errorCode() {
            try {
                JsonNode json = SignedClient.MAPPER.readTree(body);
                return json.path("error").path("code").asText();
            } catch (IOException e) {
                return "not JSON: " + body;
            }
        }
    }
}
