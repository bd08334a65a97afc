package io.idstream.cli.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.GatewayEvents;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IdstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Serves the wallet on 127.0.0.1: the page (HTML, script and style from this jar; nothing from the network), a JSON
 * view of the holder's inbox, credentials, grants and activity, the holder's decisions, and a stream of server-sent
 * events ({@code /api/events}) that tells the page when to read its view again: the wallet follows the holder's events
 * on the holder gateway and passes each on, so the page never polls. Only the holder's browser
 * is served: {@link #url()} carries a secret of this start, which opening it trades for a cookie ({@link
 * WalletSecret}), and every request without that cookie is refused, whatever it asks for. Every state-changing
 * request also needs the page's CSRF token in {@code X-CSRF-Token} and must come from this origin; the page never
 * sees a key or a field value, only names, ids and terms.
 */
public final class WalletServer implements AutoCloseable {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of("/app.js", "text/javascript; charset=utf-8",
            "/app.css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;
    private final EventStreams streams = new EventStreams();
    private volatile AutoCloseable gatewayEvents;
    private final HolderClient holder;
    private final WalletApi api;
    private final Map<String, Function<JsonNode, Object>> actions;
    private final String csrfToken;
    private final WalletSecret secret;

    private WalletServer(HttpServer server, ExecutorService executor, HolderClient holder) {
        this.server = server;
        this.executor = executor;
        this.holder = holder;
        this.api = new WalletApi(holder);
        this.actions = api.actions();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.csrfToken = HexFormat.of().formatHex(random);
        this.secret = new WalletSecret(port());
    }

    /**
     * Serves {@code holder}'s wallet on 127.0.0.1:{@code port} (0: any free port), following the holder's events
     * through {@code events} (such as {@link GatewayConnection#events}) to push changes to the page.
     */
    public static WalletServer start(HolderClient holder, Function<GatewayEvents.Listener, ? extends AutoCloseable>
            events, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new IdstreamException("cannot serve the wallet on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        // A thread per open event stream and one for the page's reads and clicks, which WalletApi serializes; the
        // streams are capped (EventStreams.MAX_STREAMS), so that this stays a handful of threads.
        ExecutorService executor = Executors.newFixedThreadPool(EventStreams.MAX_STREAMS + 2, r -> {
            Thread thread = new Thread(r, "idstream-wallet-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        WalletServer wallet = new WalletServer(server, executor, holder);
        server.createContext("/", wallet::handle);
        server.start();
        wallet.gatewayEvents = events.apply(new GatewayEvents.Listener() {
            @Override
            public void onEvent(GatewayEvents.Event event) {
                wallet.streams.changed(event instanceof GatewayEvents.InboxArrived ? "inbox"
                        : event instanceof GatewayEvents.Audited ? "audit"
                        : event instanceof GatewayEvents.ConsentRequested ? "consent" : "grant");
            }
        });
        return wallet;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to print for the holder to open, with this start's secret: the one place the secret is shown. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/?" + secret.query();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (IdstreamException | IllegalArgumentException e) {
            // Refusals and an unreachable platform: the page shows the message.
            json(exchange, e instanceof IllegalArgumentException ? 400 : 502, error(e.getMessage()));
        } catch (RuntimeException e) {
            json(exchange, 500, error("the wallet failed: " + e.getClass().getSimpleName()));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (!hostIsUs(exchange)) {
            json(exchange, 421, error("this wallet answers to 127.0.0.1:" + port() + " only"));
            return;
        }
        if (!fromHoldersBrowser(exchange)) {
            return;
        }
        if (exchange.getRequestMethod().equals("GET")) {
            switch (path) {
                case "/" -> page(exchange);
                case "/api/state" -> json(exchange, 200, api.state());
                case "/api/events" -> events(exchange);
                default -> {
                    if (ASSETS.containsKey(path)) {
                        asset(exchange, path);
                    } else {
                        json(exchange, 404, error("no such page: " + path));
                    }
                }
            }
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            json(exchange, 405, error("method not allowed"));
            return;
        }
        if (!csrfOk(exchange)) {
            json(exchange, 403, error("refused: the request did not come from this wallet's page"));
            return;
        }
        Function<JsonNode, Object> action = actions.get(path);
        if (action == null) {
            json(exchange, 404, error("no such action: " + path));
            return;
        }
        json(exchange, 200, action.apply(body(exchange)));
    }

    /**
     * Whether the request comes from the browser that opened the printed URL, answering it if not: the printed URL
     * itself is answered with the cookie and a redirect to the page without the secret, so that the secret leaves
     * the address bar; any other request without the cookie gets a refusal and nothing else.
     */
    private boolean fromHoldersBrowser(HttpExchange exchange) throws IOException {
        Optional<String> offered = exchange.getRequestMethod().equals("GET")
                ? WalletSecret.offeredIn(exchange.getRequestURI()) : Optional.empty();
        if (offered.isPresent() && secret.matches(offered.get())) {
            exchange.getResponseHeaders().set("Set-Cookie", secret.setCookie());
            exchange.getResponseHeaders().set("Location", "/");
            exchange.sendResponseHeaders(303, -1);
            return false;
        }
        if (offered.isEmpty() && secret.carriedBy(exchange.getRequestHeaders().get("Cookie"))) {
            return true;
        }
        json(exchange, 403, error("refused: open the URL that idstream wallet printed; it carries this start's "
                + "secret"));
        return false;
    }

    /** The page's event stream, held open until the page goes away or the wallet stops. */
    private void events(HttpExchange exchange) throws IOException {
        if (streams.full()) {
            json(exchange, 429, error("too many wallet pages are open; close one"));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        try {
            streams.serve(exchange.getResponseBody());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request's JSON body; a body that is not JSON is the client's error, answered with 400 like any other. */
    private static JsonNode body(HttpExchange exchange) throws IOException {
        try {
            return JSON.readTree(exchange.getRequestBody());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private boolean hostIsUs(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host != null && (host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()));
    }

    private boolean csrfOk(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals("http://127.0.0.1:" + port())
                && !origin.equals("http://localhost:" + port())) {
            return false;
        }
        String token = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                csrfToken.getBytes(StandardCharsets.UTF_8));
    }

    private void page(HttpExchange exchange) throws IOException {
        String html = resource("index.html").replace("{{csrf}}", csrfToken)
                .replace("{{holder}}", holder.identity().id());
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        // Only this origin's own script and style: no CDN, no inline script, no framing.
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                + "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'self'");
        send(exchange, 200, html.getBytes(StandardCharsets.UTF_8));
    }

    private void asset(HttpExchange exchange, String path) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", ASSETS.get(path));
        send(exchange, 200, resource(path.substring(1)).getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String name) {
        try (InputStream in = WalletServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the wallet's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> error(String message) {
        // An exception may carry no message; the page still gets an answer it can show.
        return Map.of("error", Objects.requireNonNullElse(message, "the request failed, with no reason given"));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        AutoCloseable subscription = gatewayEvents;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // Stopping anyway: the subscription's thread is a daemon.
            }
        }
        streams.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
