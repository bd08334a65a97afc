package io.idstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.cli.wallet.WalletServer;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.KafkaGateway;
import io.idstream.sdk.OperatorClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wallet against a running platform, the holder on its holder gateway, opened as the holder opens it, by its
 * printed URL: its page and API refuse what did not come from the page itself; its event stream tells the page of a
 * new request as it arrives; and in Debian's Chromium (driven by playwright-core) a holder sees a request arrive on
 * the open page, without the page polling, and approves it, after which the consumer holds the verified delivery; and
 * allows an issuer's consent request on the Issuers view, after which the issuer hears of the write grant. Screenshots
 * of each view go to
 * target/wallet-screenshots/. What the wallet refuses to a client without the printed URL's secret is in the attack
 * suite (integration-tests, {@code WalletLocalProcessAttackIT}).
 */
@Timeout(300)
class WalletIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path JS = Path.of("src", "test", "js");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Platform platform;
    static HolderClient alice;
    static GatewayConnection aliceOnGateway;
    static ConsumerClient exchange;
    static IssuerClient issuer;
    static WalletServer wallet;
    /** The holder's browser: it opened the printed URL and keeps the cookie that this gave it. */
    static HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(dir);
        Properties client = platform.clientProperties();
        client.put(KafkaGateway.TIMEOUT_CONFIG, "30000");
        Path keys = dir.resolve("keys");
        issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"), client);
        try (OperatorClient operator = new OperatorClient(platform.operatorKey(), client)) {
            issuer.register("KYC Co");
            operator.accredit("kyc-co");
            Identity holder = Identity.create(keys, "alice", "holder");
            alice = TestPlatform.holder(platform, holder);
            alice.register("Alice");
            aliceOnGateway = TestPlatform.connection(platform, holder);
            exchange = new ConsumerClient(Identity.create(keys, "exchange-a", "consumer"), client);
            exchange.register("Exchange A");
            // Over the gateway alice approves only consumers accredited under the operator key she pins.
            operator.accredit("exchange-a");
            // Alice allows kyc-co to write her kyc credential, and kyc-co hears so before it issues.
            alice.allowIssuer("kyc-co", List.of("kyc"), Duration.ofDays(1), null);
            assertThat(issuer.awaitWriteGrant("alice", null, WAIT)).as("kyc-co hears alice's write grant").isPresent();
            String credentialId = issuer.issue("alice", "kyc", Map.of("country", "DE", "age_over_18", "true",
                    "full_name", "Alice Example"), 0L);
            alice.awaitCredential(credentialId, WAIT);
        }
        wallet = WalletServer.start(alice, aliceOnGateway::events, 0);
        HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(wallet.url())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as("the printed URL opens the page: " + opened.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        TestPlatform.closeAll(wallet, alice, exchange, issuer, platform);
    }

    @Test
    void stateChangesNeedThePagesTokenAndOrigin() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'self'", "frame-ancestors 'none'");
        String token = page.body().replaceAll("(?s).*name=\"csrf-token\" content=\"([0-9a-f]+)\".*", "$1");
        assertThat(token).hasSize(64);

        String body = "{\"requestId\":\"00000000-0000-4000-8000-000000000000\"}";
        assertThat(post("/api/deny", body, null, null).statusCode()).as("no token").isEqualTo(403);
        assertThat(post("/api/deny", body, "0".repeat(64), null).statusCode()).as("wrong token").isEqualTo(403);
        assertThat(post("/api/deny", body, token, "http://evil.example").statusCode()).as("other origin")
                .isEqualTo(403);
        HttpResponse<String> unknown = post("/api/approve", "{\"requestId\":\"00000000-0000-4000-8000-000000000000\","
                + "\"fields\":[\"country\"],\"validForDays\":1,\"maxUses\":1}", token, origin());
        assertThat(unknown.statusCode()).isEqualTo(502);
        assertThat(unknown.body()).contains("is not pending for 'alice'");

        // The page's own files load nothing from elsewhere, and the state shows names, never values.
        for (String asset : List.of("/", "/app.js", "/app.css")) {
            HttpResponse<String> served = get(asset);
            assertThat(served.statusCode()).as(asset).isEqualTo(200);
            assertThat(served.body()).as(asset).isNotBlank().doesNotContain("https://", "http://");
        }
        assertThat(get("/api/state").body()).contains("\"full_name\"").doesNotContain("Alice Example");
    }

    @Test
    void aBodyThatIsNotJsonIsAnsweredWithWhatIsWrong() throws Exception {
        String token = get("/").body().replaceAll("(?s).*name=\"csrf-token\" content=\"([0-9a-f]+)\".*", "$1");

        HttpResponse<String> truncated = post("/api/deny", "{\"requestId\":", token, null);

        assertThat(truncated.statusCode()).as(truncated.body()).isEqualTo(400);
        assertThat(JSON.readTree(truncated.body()).path("error").asText())
                .startsWith("the body is not JSON: Unexpected end-of-input");
    }

    @Test
    void aNewRequestIsPushedToTheOpenPage() throws Exception {
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(origin())
                        .resolve("/api/events")).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "wallet-events-reader");
        reader.setDaemon(true);
        reader.start();
        String requestId = null;
        try {
            // The stream opens with a comment, before anything happened.
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo(": connected");

            requestId = exchange.request("alice", "kyc", List.of("country"), "push test");

            // The request's audit entry may come first; the inbox's change must follow, pushed, not asked for.
            List<String> changes = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!changes.contains("data: {\"kind\":\"inbox\"}") && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if ("event: change".equals(line)) {
                    changes.add(lines.poll(5, TimeUnit.SECONDS));
                }
            }
            assertThat(changes).as("changes pushed after request " + requestId)
                    .contains("data: {\"kind\":\"inbox\"}");
        } finally {
            stream.body().close();
            if (requestId != null) {
                // Answered, so that the browser test finds only its own request in the inbox.
                alice.awaitPending(requestId, WAIT);
                alice.deny(requestId);
            }
        }
    }

    @Test
    void holderApprovesInTheBrowserAndTheConsumerGetsTheVerifiedDelivery() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's Chromium is not installed at " + CHROMIUM
                + " (apt-get install -y chromium); .ci/run installs it");
        Assumptions.assumeTrue(Files.isDirectory(JS.resolve("node_modules/playwright-core")),
                "playwright-core is not installed (cd cli/src/test/js && npm ci); .ci/run installs it");
        // The page opens on an empty inbox: the request must reach it while it is open.
        Awaitility.await().atMost(WAIT).until(() -> alice.inbox().isEmpty());
        // An issuer's consent request waits on the Issuers view, for the holder to allow it there.
        String consentRequestId = issuer.requestConsent("alice", List.of("address"), "proof of address");
        Awaitility.await().atMost(WAIT).until(() -> alice.consentRequests().stream()
                .anyMatch(r -> r.getConsentRequestId().equals(consentRequestId)));
        try (ConsumerClient.Subscription deliveries = exchange.subscribe("exchange-a.wallet-test")) {
            Path shots = Path.of("target", "wallet-screenshots");
            Process browser = new ProcessBuilder("node", "wallet-e2e.mjs", wallet.url(),
                    shots.toAbsolutePath().toString()).directory(JS.toFile()).redirectErrorStream(true).start();
            BufferedReader browserOutput = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder output = new StringBuilder();
            for (String line = browserOutput.readLine(); line != null && !line.equals("page open");
                 line = browserOutput.readLine()) {
                output.append(line).append('\n');
            }
            assertThat(browser.isAlive()).as("the browser opened the page: " + output).isTrue();
            String requestId = exchange.request("alice", "kyc", List.of("age_over_18", "country"), "onboarding");

            boolean ended = browser.waitFor(180, TimeUnit.SECONDS);
            output.append(new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(ended).as("the browser run ended: " + output).isTrue();
            assertThat(browser.exitValue()).as(output.toString()).isZero();
            assertThat(output).contains("\"approved\":\"" + requestId + "\"",
                    "\"allowedConsent\":\"" + consentRequestId + "\"");
            // The issuer hears the holder's consent, given in the browser, for what it asked.
            assertThat(issuer.awaitWriteGrant("alice", consentRequestId, WAIT))
                    .as("kyc-co hears a write grant answering its consent request").get().satisfies(notice ->
                    assertThat(notice.getCredentialTypes()).containsExactly("address"));

            Optional<DeliveryOutcome> outcome = deliveries.await(requestId,
                    o -> o instanceof DeliveryOutcome.Delivered, WAIT);
            assertThat(outcome).get().isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                    d -> assertThat(d.values()).containsExactlyInAnyOrderEntriesOf(Map.of("age_over_18", "true",
                            "country", "DE")));
            for (String view : List.of("inbox", "grants", "credentials", "activity", "issuers")) {
                assertThat(shots.resolve(view + ".png")).isNotEmptyFile();
            }
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(origin()).resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token, String origin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin()).resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-CSRF-Token", token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String origin() {
        return "http://127.0.0.1:" + wallet.port();
    }
}
