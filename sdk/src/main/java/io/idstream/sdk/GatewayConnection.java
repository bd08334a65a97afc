package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

import static io.idstream.sdk.GatewayAnswers.list;
import static io.idstream.sdk.GatewayAnswers.record;
import static io.idstream.sdk.GatewayAnswers.text;

/**
 * A holder's connection to the holder gateway's HTTP API (docs/protocol.md section 16): each request is signed with
 * the holder's signing key as an RFC 9421 HTTP message signature (created now, a fresh nonce, covering the method,
 * the exact URI sent and, with a body, its RFC 9530 digest), and records travel in their JSON form
 * ({@link AvroJson}). The gateway stores and serves; it is not trusted with what it serves: {@link HolderClient} checks
 * every request, credential and directory entry it reads here. A refusal becomes a {@link GatewayRefusal} with the
 * gateway's error code; a gateway that cannot be reached, an {@link IdstreamException} naming its URL. Give an
 * {@link SSLContext} for an {@code https} gateway whose certificate the JDK's default trust store does not hold.
 * Thread-safe.
 */
public final class GatewayConnection {
    /** The most audit entries one page may hold (the gateway's limit). */
    public static final int MAX_AUDIT_PAGE = 500;
    /** The longest pause before asking again after a 503, whatever its Retry-After says. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Identity holder;
    private final HttpClient http;
    private final Duration timeout;

    /** A connection to the gateway at {@code url} ({@code http://host:port}), with the JDK's defaults for HTTPS. */
    public GatewayConnection(URI url, Identity holder) {
        this(url, holder, null, Duration.ofSeconds(30));
    }

    /**
     * @param url     the gateway's address, {@code http://host:port} or {@code https://host:port}, without a path
     * @param tls     the TLS context for an {@code https} gateway, or null for the JDK's default one
     * @param timeout how long one request may take, and how long a request is asked again while the gateway
     *                answers 503 with a time to come back
     */
    public GatewayConnection(URI url, Identity holder, SSLContext tls, Duration timeout) {
        this.url = origin(url);
        this.holder = holder;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /**
     * The gateway's origin as the JDK client's Host header will name it, since the gateway rebuilds {@code
     * @target-uri} from that header: a default port is dropped, as the client drops it.
     */
    private static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null
                || url.getRawUserInfo() != null) {
            throw new IdstreamException("the gateway URL must be http://host:port or https://host:port, not '"
                    + url + "'");
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IdstreamException("the gateway URL must not carry a path, query or fragment: '" + url + "'");
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == (scheme.equals("http") ? 80 : 443);
        return URI.create(scheme + "://" + url.getHost() + (defaultPort ? "" : ":" + port));
    }

    public URI url() {
        return url;
    }

    /** A grant in force: the holder's signed grant and how many deliveries it has served. */
    public record ActiveGrant(Grant grant, int uses) {
    }

    /** An audit entry with its cursor, the position the gateway pages by. */
    public record AuditEntry(long cursor, AccessAudit entry) {
    }

    /** One page of the audit trail; {@code next} is the cursor to ask after, or -1 when the trail ends here. */
    public record AuditPage(List<AuditEntry> entries, long next) {
    }

    /** Registers the holder with its self-signed registration; returns the holder id the gateway accepted. */
    public String register(Principal registration) {
        return text(send("POST", "/v1/holders", registration), "holderId");
    }

    /** The requests the gateway says are waiting for this holder, as it serves them: not yet checked. */
    public List<PendingRequest> inbox() {
        return list(send("GET", holderPath("/inbox"), null), "requests", r -> record(r, PendingRequest.class));
    }

    public List<StoredCredential> credentials() {
        return list(send("GET", holderPath("/credentials"), null), "credentials",
                c -> record(c, StoredCredential.class));
    }

    /** The stored credential, or empty when the gateway holds none of that id for this holder. */
    public Optional<StoredCredential> credential(String credentialId) {
        return ifFound(() -> record(send("GET", holderPath("/credentials/" + segment(credentialId)), null),
                StoredCredential.class));
    }

    public List<ActiveGrant> grants() {
        return list(send("GET", holderPath("/grants"), null), "grants", GatewayAnswers::activeGrant);
    }

    /** Up to {@code limit} audit entries after {@code after} (-1: from the first). */
    public AuditPage audit(long after, int limit) {
        JsonNode page = send("GET", holderPath("/audit") + "?after=" + after + "&limit=" + limit, null);
        return new AuditPage(list(page, "entries", GatewayAnswers::auditEntry), page.path("next").asLong(-1));
    }

    /** Every audit entry after {@code after}, oldest first, read page by page as the iteration goes. */
    public Iterator<AuditEntry> auditEntries(long after) {
        return new Iterator<>() {
            private AuditPage page = audit(after, MAX_AUDIT_PAGE);
            private int index;

            @Override
            public boolean hasNext() {
                while (index == page.entries().size() && page.next() != -1) {
                    page = audit(page.next(), MAX_AUDIT_PAGE);
                    index = 0;
                }
                return index < page.entries().size();
            }

            @Override
            public AuditEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the audit trail has no more entries");
                }
                return page.entries().get(index++);
            }
        };
    }

    /** Hands the holder's signed decision to the gateway, which writes it for the processors. */
    public void decide(DecisionEvent decision) {
        send("POST", holderPath("/decisions"), decision);
    }

    /** A principal as the gateway serves it, or empty when it has none of that id: not yet checked. */
    public Optional<VerifiedPrincipal> principal(String principalId) {
        return ifFound(() -> record(send("GET", "/v1/principals/" + segment(principalId), null),
                VerifiedPrincipal.class));
    }

    /** Subscribes to this holder's events; the subscription reconnects after a drop until it is closed. */
    public GatewayEvents events(GatewayEvents.Listener listener) {
        return GatewayEvents.start(this, holderPath("/events"), listener);
    }

    private String holderPath(String tail) {
        return "/v1/holders/" + segment(holder.id()) + tail;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, SpecificRecord body) {
        byte[] bytes = body == null ? null : AvroJson.toJson(body).toString().getBytes(StandardCharsets.UTF_8);
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        HttpResponse<byte[]> response = exchange(signed(method, path, bytes), HttpResponse.BodyHandlers.ofByteArray(),
                method + " " + path);
        // 503 says the holder's views are starting or moving between instances, or Kafka did not take a write: the
        // gateway names a time to come back, and a request signed anew then is served (a decision written twice is
        // refused by the processors as a replay, so retrying one is safe).
        while (response.statusCode() == 503) {
            long pause = retryAfterMillis(response);
            if (System.nanoTime() + pause * 1_000_000 > giveUpAt) {
                break;
            }
            pauseFor(pause);
            response = exchange(signed(method, path, bytes), HttpResponse.BodyHandlers.ofByteArray(),
                    method + " " + path);
        }
        if (response.statusCode() >= 300) {
            throw GatewayAnswers.refusal(response.statusCode(), response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IdstreamException("the gateway's answer to " + method + " " + path + " is not JSON", e);
        }
    }

    /** The request, signed now with a fresh nonce for exactly this method, URI and body. */
    HttpRequest signed(String method, String path, byte[] body) {
        URI target = URI.create(url + path);
        SignedHeaders signature = MessageSignatures.sign(holder.signing(), holder.id(), method, target, body,
                Instant.now().getEpochSecond(), MessageSignatures.newNonce());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Accept", path.endsWith("/events") ? "text/event-stream" : "application/json")
                .header("Signature-Input", signature.signatureInput())
                .header("Signature", signature.signature());
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .header("Content-Digest", signature.contentDigest())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new IdstreamException("cannot reach the gateway at " + url + ": connection refused (is it "
                    + "running at that address?)", e);
        } catch (HttpTimeoutException e) {
            throw new IdstreamException("the gateway at " + url + " did not answer " + what + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IdstreamException("cannot reach the gateway at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while waiting for the gateway at " + url, e);
        }
    }

    /** The gateway's Retry-After in milliseconds, 1 s when absent or unreadable, at most {@link #MAX_RETRY_PAUSE}. */
    static long retryAfterMillis(HttpResponse<?> response) {
        long seconds = response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                return 1L;
            }
        }).orElse(1L);
        return Math.max(0, Math.min(seconds * 1000, MAX_RETRY_PAUSE.toMillis()));
    }

    private void pauseFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while waiting to ask the gateway at " + url + " again", e);
        }
    }

    private static <T> Optional<T> ifFound(Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (GatewayRefusal refusal) {
            if (refusal.code().equals("not-found")) {
                return Optional.empty();
            }
            throw refusal;
        }
    }


}
