package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.cli.wallet.WalletServer;
import io.idstream.platform.Platform;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet answers only requests addressed to itself: a page elsewhere whose name an attacker resolves to
 * 127.0.0.1 (DNS rebinding) makes the browser send its own name in {@code Host}, so a forged {@code Host} must get
 * nothing, neither the page (with its CSRF token) nor the holder's state, nor the cookie of the printed URL; and this
 * even from a client that holds that cookie, so that the check stands on its own. Sent over a raw socket, since an
 * HTTP client sets {@code Host} itself.
 */
@Timeout(180)
class WalletHostIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Platform platform;
    static HolderClient alice;
    static WalletServer wallet;
    /** The cookie that opening the printed URL gave: {@code name=value}. */
    static String cookie;

    @BeforeAll
    static void start() throws IOException {
        platform = TestPlatform.start(dir);
        Identity identity = Identity.create(dir.resolve("keys"), "alice", "holder");
        alice = TestPlatform.holder(platform, identity);
        alice.register("Alice");
        wallet = WalletServer.start(alice, TestPlatform.connection(platform, identity)::events, 0);
        Response opened = send("GET", printedPathAndQuery(), host("127.0.0.1:{port}"), "", "");
        assertThat(opened.status()).as("the printed URL redirects to the page: " + opened.body()).isEqualTo(303);
        cookie = opened.header("Set-Cookie").split(";")[0];
    }

    @AfterAll
    static void stop() throws Exception {
        TestPlatform.closeAll(wallet, alice, platform);
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"127.0.0.1:{port}", "localhost:{port}"})
    void aGenuineHostGetsThePageAndTheState(String host) throws IOException {
        Response page = send("GET", "/", host(host), withCookie(), "");
        Response state = send("GET", "/api/state", host(host), withCookie(), "");

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("<meta name=\"csrf-token\" content=\"");
        assertThat(state.status()).as(state.body()).isEqualTo(200);
        assertThat(JSON.readTree(state.body()).path("holder").asText()).isEqualTo("alice");
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example:{port}", "127.0.0.1.evil.example", "127.0.0.1.evil.example:{port}",
            "127.0.0.1:{port}.evil.example", "localhost.evil.example:{port}", "127.0.0.1:1{port}"})
    void aForgedHostGetsNeitherThePageNorTheState(String forged) throws IOException {
        for (String path : new String[] {"/", "/api/state", "/api/events", "/app.js", printedPathAndQuery()}) {
            Response response = send("GET", path, host(forged), withCookie(), "");

            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(421);
            assertRefusal(response);
            assertThat(response.header("Set-Cookie")).as("a cookie under a forged Host").isNull();
        }
    }

    @Test
    void theEventStreamIsRefusedWithoutTheCookie() throws IOException {
        // Only the head is read: an event stream served by mistake would never end.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), wallet.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: " + host("127.0.0.1:{port}")
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            InputStream in = socket.getInputStream();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            assertThat(head.toString()).as("the answer's head").startsWith("HTTP/1.1 403 ")
                    .containsIgnoringCase("Content-Type: application/json")
                    .doesNotContainIgnoringCase("text/event-stream");
        }
    }

    @Test
    void aRequestWithoutHostIsRefused() throws IOException {
        Response response = send("GET", "/", null, "", "");

        assertThat(response.status()).as(response.body()).isEqualTo(421);
        assertRefusal(response);
    }

    @Test
    void aDecisionUnderAForgedHostIsRefusedEvenWithThePagesToken() throws IOException {
        Response page = send("GET", "/", host("127.0.0.1:{port}"), withCookie(), "");
        String token = page.body().replaceAll("(?s).*name=\"csrf-token\" content=\"([0-9a-f]+)\".*", "$1");
        assertThat(token).hasSize(64);
        String forged = host("evil.example:{port}");

        Response response = send("POST", "/api/deny", forged, withCookie() + "X-CSRF-Token: " + token
                + "\r\nOrigin: http://" + forged + "\r\nContent-Type: application/json\r\n",
                "{\"requestId\":\"00000000-0000-4000-8000-000000000000\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(421);
        assertRefusal(response);
    }

    private static void assertRefusal(Response response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("this wallet answers to 127.0.0.1:" + wallet.port()
                + " only");
        assertThat(body.size()).as("nothing but the refusal").isEqualTo(1);
    }

    private static String printedPathAndQuery() {
        URI printed = URI.create(wallet.url());
        return printed.getRawPath() + "?" + printed.getRawQuery();
    }

    private static String withCookie() {
        return "Cookie: " + cookie + "\r\n";
    }

    private static String host(String pattern) {
        return pattern.replace("{port}", Integer.toString(wallet.port()));
    }

    /** One HTTP/1.1 request written byte for byte ({@code host} null: no Host header), and the whole answer. */
    private static Response send(String method, String path, String host, String headers, String body)
            throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                + headers + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), wallet.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String statusLine = answer.substring(0, answer.indexOf("\r\n"));
            assertThat(statusLine).as("an HTTP/1.1 status line").matches("HTTP/1\\.1 \\d{3} .*");
            int headersEnd = answer.indexOf("\r\n\r\n");
            return new Response(Integer.parseInt(statusLine.substring(9, 12)),
                    headersEnd < 0 ? answer : answer.substring(0, headersEnd),
                    headersEnd < 0 ? "" : answer.substring(headersEnd + 4));
        }
    }

    private record Response(int status, String head, String body) {
        /** The value of the first header of that name, or null. */
        String header(String name) {
            return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
        }
    }
}
