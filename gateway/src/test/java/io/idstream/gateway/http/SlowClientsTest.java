package io.idstream.gateway.http;

import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.gateway.http.TestHolders.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that hold connections without finishing a request: one that sends a byte at a time is cut at the request
 * deadline, one that cannot sign as a registered holder is refused before it sends its body, and the server holds
 * at most its number of connections.
 */
@Timeout(60)
class SlowClientsTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified());
    final List<Socket> sockets = new ArrayList<>();
    GatewayServer server;

    void start(GatewayLimits limits) {
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(),
                new EventStreams(limits, clock), clock, limits);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    Socket connect() throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        return socket;
    }

    String host() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void aClientSendingItsHeadersAByteAtATimeIsCutAtTheDeadline() throws IOException {
        start(GatewayLimits.defaults().withConnections(20_000, Duration.ofSeconds(2)));
        Socket slow = connect();
        slow.setSoTimeout(50);
        OutputStream out = slow.getOutputStream();
        out.write(("GET /v1/openapi.yaml HTTP/1.1\r\nHost: " + host() + "\r\nX-Slow: ")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long started = System.nanoTime();

        await("the slow client's connection is closed").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !stillOpenAfterOneMoreByte(slow));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("a client sending a byte every 0.5 s was cut after " + millis + " ms");
        assertThat(millis).as("cut at the 2 s deadline, not before").isGreaterThanOrEqualTo(1_500);
    }

    private static boolean stillOpenAfterOneMoreByte(Socket socket) {
        try {
            socket.getOutputStream().write('a');
            socket.getOutputStream().flush();
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException nothingYet) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    @Test
    void aRequestThatCannotBeAHoldersIsRefusedBeforeItsBodyIsSent() throws IOException {
        start(GatewayLimits.defaults());
        String path = "/v1/holders/alice/decisions";
        byte[] body = new byte[60_000];
        SignedHeaders byNobody = MessageSignatures.sign(Holder.create("mallory").signing(), "mallory", "POST",
                URI.create("http://" + host() + path), body, clock.epochSeconds(), MessageSignatures.newNonce());
        SignedHeaders stale = MessageSignatures.sign(alice.signing(), "alice", "POST",
                URI.create("http://" + host() + path), body, clock.epochSeconds() - 120,
                MessageSignatures.newNonce());

        assertThat(answerWithoutBody(path, "")).startsWith("HTTP/1.1 401").contains("missing-signature");
        assertThat(answerWithoutBody(path, signatureHeaders(byNobody))).startsWith("HTTP/1.1 401")
                .contains("unknown-holder");
        assertThat(answerWithoutBody(path, signatureHeaders(stale))).startsWith("HTTP/1.1 401")
                .contains("stale-signature");
    }

    private static String signatureHeaders(SignedHeaders signed) {
        return "Signature-Input: " + signed.signatureInput() + "\r\nSignature: " + signed.signature()
                + "\r\nContent-Digest: " + signed.contentDigest() + "\r\n";
    }

    /** Sends a request's headers announcing 60,000 bytes of body, and reads the answer without sending them. */
    private String answerWithoutBody(String path, String headers) throws IOException {
        Socket socket = connect();
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n" + headers
                + "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return readAnswer(socket.getInputStream());
    }

    @Test
    void theServerHoldsAtMostItsNumberOfConnections() throws IOException {
        start(GatewayLimits.defaults().withConnections(2, Duration.ofSeconds(10)));
        Socket first = connect();
        connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 2);

        Socket third = connect();
        third.setSoTimeout(1_000);
        third.getOutputStream().write(("GET /v1/openapi.yaml HTTP/1.1\r\nHost: " + host()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        third.getOutputStream().flush();
        boolean answeredOverTheLimit;
        try {
            answeredOverTheLimit = third.getInputStream().read() >= 0;
        } catch (SocketTimeoutException notAccepted) {
            answeredOverTheLimit = false;
        }
        assertThat(answeredOverTheLimit).as("a third connection is not served while two are open").isFalse();

        first.close();
        third.setSoTimeout(10_000);
        assertThat(readAnswer(third.getInputStream())).startsWith("HTTP/1.1 200");
    }

    /** What the server sent until it closed the connection or went quiet for the socket's timeout. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                answer.write(buffer, 0, read);
                if (answer.toString(StandardCharsets.US_ASCII).contains("\"error\"")
                        && answer.toString(StandardCharsets.US_ASCII).endsWith("}}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException quiet) {
            // What arrived is the answer.
        }
        return answer.toString(StandardCharsets.US_ASCII);
    }
}
