package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
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

    private final GatewayHttp http;

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
        this.http = new GatewayHttp(GatewayAnswers.origin(url), holder, tls, timeout);
    }

    /**
     * A connection for a holder who has no keys yet, recovering them: only {@link #fetchBackup}, the gateway's one
     * unsigned holder route, works on it; every other call is refused, since it would need a signature.
     */
    public GatewayConnection(URI url, SSLContext tls, Duration timeout) {
        this(url, null, tls, timeout);
    }

    private GatewayConnection(GatewayHttp http) {
        this.http = http;
    }

    /** A connection to the same gateway, with the same settings, whose requests {@code holder}'s keys sign. */
    GatewayConnection signedBy(Identity holder) {
        return new GatewayConnection(http.signedBy(holder));
    }

    /** Signs from now on with {@code rotated}, the same holder's new keys, once the directory binds them. */
    void useKeys(Identity rotated) {
        http.useKeys(rotated);
    }

    /** The plumbing under the routes, which the event stream shares. */
    GatewayHttp http() {
        return http;
    }

    public URI url() {
        return http.url();
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

    /** The holder's write grants in force, as the gateway serves them: not yet checked. */
    public List<WriteGrant> writeGrants() {
        String holderId = http.holder().id();
        return list(send("GET", holderPath("/write-grants"), null), "writeGrants",
                grant -> GatewayAnswers.writeGrant(grant, holderId));
    }

    /** The issuers' consent requests waiting for this holder, as the gateway serves them: not yet checked. */
    public List<ConsentRequest> consentRequests() {
        return list(send("GET", holderPath("/consent-requests"), null), "consentRequests",
                request -> record(request, ConsentRequest.class));
    }

    /** Stores the holder's sealed key backup (docs/protocol.md section 17) on the platform, replacing any before. */
    public void storeBackup(byte[] backup) {
        ObjectNode body = JSON.createObjectNode().put("backup", GatewayAnswers.base64(backup));
        http.send("PUT", holderPath("/backup"), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A sealed key backup as the gateway keeps it. */
    public record StoredBackup(String principalId, byte[] backup, long storedAt) {
    }

    /**
     * The sealed key backup the platform keeps for {@code holderId}, or empty when it keeps none: the one holder
     * route that is not signed, since a holder recovering has no key to sign with (docs/protocol.md section 16).
     */
    public Optional<StoredBackup> fetchBackup(String holderId) {
        String path = "/v1/holders/" + segment(holderId) + "/backup";
        HttpResponse<byte[]> response = http.unsigned(path);
        if (response.statusCode() == 404) {
            GatewayRefusal refusal = GatewayAnswers.refusal(404, response.body());
            if (refusal.code().equals("no-backup")) {
                return Optional.empty();
            }
            throw refusal;
        }
        return Optional.of(GatewayAnswers.storedBackup(GatewayHttp.answer(response, "GET " + path), holderId));
    }

    /** Everything the platform holds on the holder, as the gateway's export serves it: not yet checked. */
    public JsonNode export() {
        return send("GET", holderPath("/export"), null);
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
        return "/v1/holders/" + segment(http.holder().id()) + tail;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, SpecificRecord body) {
        return http.send(method, path, body == null ? null
                : AvroJson.toJson(body).toString().getBytes(StandardCharsets.UTF_8));
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
