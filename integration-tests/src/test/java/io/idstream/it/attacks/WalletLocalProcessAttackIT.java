package io.idstream.it.attacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.cli.wallet.WalletServer;
import io.idstream.it.StoryClients;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.GatewayEvents;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.KafkaGateway;
import io.idstream.sdk.OperatorClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: another process on the holder's computer (any program, any user) calls the wallet on 127.0.0.1 the way the
 * holder's browser does, to read the holder's inbox and approve a consumer's request. The {@code Host} check does not
 * stop it (it sends the genuine {@code Host}), nor does the CSRF token, as long as the page that carries it is served
 * to whoever asks. Defence: each start of the wallet has a secret of its own, in the URL the wallet prints and nowhere
 * else; opening that URL sets an HttpOnly, SameSite=Strict cookie, and without that cookie the wallet serves nothing,
 * not even the page. To the wallet, a local process is a connection from 127.0.0.1 that carries no cookie: a plain
 * HTTP client here.
 */
@Timeout(180)
class WalletLocalProcessAttackIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    static final Pattern SECRET = Pattern.compile("[?&]token=([^&]+)");
    static final String REFUSAL = "refused: open the URL that idstream wallet printed; it carries this start's secret";

    @TempDir
    static Path dir;
    static Platform platform;
    static HolderClient alice;
    static ConsumerClient exchange;
    static WalletServer wallet;
    /** The other local process: knows the port, sends the right Host and Origin, has no cookie. */
    static HttpClient stranger = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        platform = StoryClients.startPlatform(dir.resolve("data"));
        Properties client = platform.clientProperties();
        client.put(KafkaGateway.TIMEOUT_CONFIG, "30000");
        Path keys = dir.resolve("keys");
        try (IssuerClient issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"), client);
             OperatorClient operator = new OperatorClient(platform.operatorKey(), client)) {
            issuer.register("KYC Co");
            operator.accredit("kyc-co");
            alice = StoryClients.holder(platform, Identity.create(keys, "alice", "holder"));
            alice.register("Alice");
            StoryClients.allowToWrite(alice, issuer, List.of("kyc"));
            exchange = new ConsumerClient(Identity.create(keys, "exchange-a", "consumer"), client);
            exchange.register("Exchange A");
            operator.accredit("exchange-a");
            String credentialId = issuer.issue("alice", "kyc", Map.of("country", "DE", "full_name",
                    "Alice Example"), 0L);
            alice.awaitCredential(credentialId, WAIT);
        }
        wallet = WalletServer.start(alice, aliceEvents(), 0);
    }

    /** Alice's events on the platform's gateway, which the wallet follows as {@code idstream wallet} does. */
    private static Function<GatewayEvents.Listener, GatewayEvents> aliceEvents() {
        return new GatewayConnection(platform.gatewayUrl(), alice.identity())::events;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable resource : new AutoCloseable[] {wallet, alice, exchange, platform}) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    @Test
    void aLocalProcessWithoutTheSecretGetsNeitherThePageNorTheStateNorTheScript() throws Exception {
        String requestId = pendingRequest();

        for (String path : List.of("/", "/api/state", "/app.js", "/app.css")) {
            HttpResponse<String> response = stranger.send(HttpRequest.newBuilder(at(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(403);
            assertRefusal(response);
            assertThat(response.body()).as(path).doesNotContain("csrf-token", "alice", requestId);
        }
    }

    @Test
    void aLocalProcessCannotApproveEvenWithThePagesCsrfToken() throws Exception {
        String requestId = pendingRequest();
        // The stranger cannot read the page any more; give it the token anyway, as if it had leaked.
        String csrfToken = csrfToken(holdersBrowser());

        HttpResponse<String> approve = stranger.send(HttpRequest.newBuilder(at("/api/approve"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrfToken)
                .header("Origin", "http://127.0.0.1:" + wallet.port())
                .POST(HttpRequest.BodyPublishers.ofString(approval(requestId))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(403);
        assertRefusal(approve);
    }

    @Test
    void aWrongSecretInTheUrlOrInTheCookieOpensNothing() throws Exception {
        String secret = secret();
        String wrong = (secret.charAt(0) == 'A' ? "B" : "A") + secret.substring(1);
        String cookie = openPrintedUrl().headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String wrongCookie = cookie.substring(0, cookie.indexOf('=') + 1) + wrong;

        HttpResponse<String> wrongUrl = stranger.send(HttpRequest.newBuilder(at("/?token=" + wrong)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> withWrongCookie = stranger.send(HttpRequest.newBuilder(at("/api/state"))
                .header("Cookie", wrongCookie).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(wrongUrl.statusCode()).as(wrongUrl.body()).isEqualTo(403);
        assertRefusal(wrongUrl);
        assertThat(wrongUrl.headers().firstValue("Set-Cookie")).as("a cookie for a wrong secret").isEmpty();
        assertThat(withWrongCookie.statusCode()).as(withWrongCookie.body()).isEqualTo(403);
        assertRefusal(withWrongCookie);
    }

    @Test
    void eachStartPrintsASecretOfItsOwnOfAtLeast128Bits() {
        String secondSecret;
        try (WalletServer second = WalletServer.start(alice, aliceEvents(), 0)) {
            secondSecret = SECRET.matcher(second.url()).results().map(m -> m.group(1)).findFirst().orElseThrow();
        }

        assertThat(Base64.getUrlDecoder().decode(secret())).hasSizeGreaterThanOrEqualTo(16);
        assertThat(secondSecret).isNotEqualTo(secret());
    }

    @Test
    void theHolderWhoOpensThePrintedUrlGetsACookieAndApprovesAndTheConsumerGetsTheDelivery() throws Exception {
        String requestId = pendingRequest();
        HttpResponse<String> opened = openPrintedUrl();
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(303);
        assertThat(opened.headers().firstValue("Location")).as("the clean URL, without the secret").contains("/");
        assertThat(opened.headers().firstValue("Set-Cookie")).get().asString()
                .contains("=" + secret() + ";", "HttpOnly", "SameSite=Strict", "Path=/");

        try (ConsumerClient.Subscription deliveries = exchange.subscribe("exchange-a.wallet-attack-test")) {
            HttpClient browser = holdersBrowser();
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(wallet.url())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.uri()).as("the address bar after the redirect").isEqualTo(at("/"));
            assertThat(page.body()).doesNotContain(secret());
            HttpResponse<String> state = browser.send(HttpRequest.newBuilder(at("/api/state")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(state.body()).path("inbox").findValuesAsText("requestId")).contains(requestId);

            HttpResponse<String> approve = browser.send(HttpRequest.newBuilder(at("/api/approve"))
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrfToken(page.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(approval(requestId))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(approve.statusCode()).as(approve.body()).isEqualTo(200);
            Optional<DeliveryOutcome> outcome = deliveries.await(requestId,
                    o -> o instanceof DeliveryOutcome.Delivered, WAIT);
            assertThat(outcome).get().isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                    d -> assertThat(d.values()).containsExactlyInAnyOrderEntriesOf(Map.of("country", "DE")));
        }
    }

    /** A request from the consumer, once it waits in the holder's inbox. */
    private static String pendingRequest() {
        String requestId = exchange.request("alice", "kyc", List.of("country"), "onboarding");
        alice.awaitPending(requestId, WAIT);
        return requestId;
    }

    private static String approval(String requestId) {
        return "{\"requestId\":\"" + requestId + "\",\"fields\":[\"country\"],\"validForDays\":1,\"maxUses\":1}";
    }

    /** The printed URL opened by a client that does not follow the redirect, so that its answer can be read. */
    private static HttpResponse<String> openPrintedUrl() throws IOException, InterruptedException {
        return stranger.send(HttpRequest.newBuilder(URI.create(wallet.url())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The holder's browser: keeps cookies, follows redirects. */
    private static HttpClient holdersBrowser() throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> opened = browser.send(HttpRequest.newBuilder(URI.create(wallet.url())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as("the holder opens the printed URL: " + opened.body()).isEqualTo(200);
        return browser;
    }

    private static String csrfToken(HttpClient browser) throws IOException, InterruptedException {
        return csrfToken(browser.send(HttpRequest.newBuilder(at("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String csrfToken(String page) {
        Matcher token = CSRF.matcher(page);
        assertThat(token.find()).as("the page carries its CSRF token: " + page).isTrue();
        return token.group(1);
    }

    private static String secret() {
        Matcher secret = SECRET.matcher(wallet.url());
        assertThat(secret.find()).as("the printed URL carries a secret: " + wallet.url()).isTrue();
        return secret.group(1);
    }

    private static URI at(String path) {
        return URI.create("http://127.0.0.1:" + wallet.port()).resolve(path);
    }

    private static void assertRefusal(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo(REFUSAL);
        assertThat(body.size()).as("nothing but the refusal").isEqualTo(1);
    }
}
