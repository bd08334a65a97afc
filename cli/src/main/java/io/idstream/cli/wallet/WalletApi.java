package io.idstream.cli.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.WriteGrant;
import io.idstream.sdk.HolderClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the wallet page may see and do, over the holder's client: the state it shows (names, ids and terms, never a
 * key or a field value) and the holder's decisions, on consumers' requests and on issuers' consent requests, each a
 * JSON body in and an object out for the server to write as JSON. A bad body is an {@link IllegalArgumentException}, answered with 400. One call at a time: the wallet
 * serves the page on several threads (its event streams hold some), and the page's reads and clicks take turns here.
 */
final class WalletApi {
    static final int DEFAULT_WRITE_GRANT_DAYS = 365;
    static final int MAX_WRITE_GRANT_DAYS = 3650;

    private final HolderClient holder;
    /**
     * Consent requests the holder ignored (hidden for as long as this wallet runs, answered by nobody) or allowed
     * here (hidden before the gateway's view of write grants has caught up with the answer).
     */
    private final Set<String> ignoredConsentRequests = ConcurrentHashMap.newKeySet();

    WalletApi(HolderClient holder) {
        this.holder = holder;
    }

    /** The holder's decisions by path, for the server's POST requests. */
    Map<String, Function<JsonNode, Object>> actions() {
        return Map.of(
                "/api/approve", body -> inTurn(() -> approve(body)),
                "/api/deny", body -> inTurn(() -> done(holder::deny, text(body, "requestId"))),
                "/api/revoke", body -> inTurn(() -> done(holder::revoke, text(body, "grantId"))),
                "/api/erase", body -> inTurn(() -> done(holder::erase, text(body, "credentialId"))),
                "/api/allow-issuer", body -> inTurn(() -> allowIssuer(body)),
                "/api/ignore-consent", body -> inTurn(() -> done(ignoredConsentRequests::add,
                        text(body, "consentRequestId"))),
                "/api/disallow-issuer", body -> inTurn(() -> done(holder::disallowIssuer,
                        text(body, "writeGrantId"))));
    }

    private synchronized Object inTurn(Supplier<Object> call) {
        return call.get();
    }

    private Object approve(JsonNode body) {
        List<String> fields = new ArrayList<>();
        body.path("fields").forEach(f -> fields.add(f.asText()));
        int days = body.path("validForDays").asInt(30);
        int uses = body.path("maxUses").asInt(1);
        if (fields.isEmpty() || days < 1 || uses < 0) {
            throw new IllegalArgumentException("choose at least one field, at least one day, and uses of 0 "
                    + "(no limit) or more");
        }
        String grantId = holder.approve(text(body, "requestId"),
                new HolderClient.Scope(fields, Duration.ofDays(days), uses));
        return Map.of("grantId", grantId);
    }

    /**
     * Allows the issuer of a consent request, for the types it asked for: the request is looked up again here, so
     * the page names only which request, never an issuer or types of its own.
     */
    private Object allowIssuer(JsonNode body) {
        String consentRequestId = text(body, "consentRequestId");
        int days = body.path("validForDays").asInt(DEFAULT_WRITE_GRANT_DAYS);
        if (days < 1 || days > MAX_WRITE_GRANT_DAYS) {
            throw new IllegalArgumentException("allow for 1 to " + MAX_WRITE_GRANT_DAYS + " days, not " + days);
        }
        ConsentRequest request = holder.consentRequests().stream()
                .filter(r -> r.getConsentRequestId().equals(consentRequestId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no consent request " + consentRequestId
                        + " is waiting for an answer"));
        String writeGrantId = holder.allowIssuer(request.getIssuerId(), request.getCredentialTypes(),
                Duration.ofDays(days), consentRequestId);
        ignoredConsentRequests.add(consentRequestId);
        return Map.of("writeGrantId", writeGrantId);
    }

    private static Object done(Consumer<String> decision, String id) {
        decision.accept(id);
        return Map.of("ok", true);
    }

    private static String text(JsonNode body, String name) {
        String value = body.path(name).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    /** The page's view: the inbox, the grants and the activity all come from one read of the audit trail. */
    synchronized State state() {
        List<AccessAudit> trail = holder.audit();
        List<InboxItem> inbox = holder.inbox(trail).stream().map(InboxItem::of).toList();
        List<CredentialItem> credentials = holder.credentials().entrySet().stream()
                .map(e -> CredentialItem.of(e.getKey(), e.getValue())).toList();
        List<GrantItem> grants = holder.grants(trail).stream().map(GrantItem::of).toList();
        List<ActivityItem> activity = new ArrayList<>();
        for (int i = trail.size() - 1; i >= 0; i--) {
            activity.add(ActivityItem.of(trail.get(i)));
        }
        List<WriteGrantItem> writeGrants = holder.writeGrants().stream().map(WriteGrantItem::of).toList();
        List<ConsentItem> consents = holder.consentRequests().stream()
                .filter(r -> !ignoredConsentRequests.contains(r.getConsentRequestId())).map(ConsentItem::of).toList();
        return new State(holder.identity().id(), inbox, credentials, grants, activity, writeGrants, consents);
    }

    /** The body of {@code GET /api/state}; newest activity first. */
    record State(String holder, List<InboxItem> inbox, List<CredentialItem> credentials, List<GrantItem> grants,
                 List<ActivityItem> activity, List<WriteGrantItem> writeGrants, List<ConsentItem> consentRequests) {
    }

    /** An issuer the holder allows to write, with the types and until when. */
    record WriteGrantItem(String writeGrantId, String issuerId, List<String> credentialTypes, long issuedAt,
                          long expiresAt) {
        static WriteGrantItem of(WriteGrant g) {
            return new WriteGrantItem(g.getWriteGrantId(), g.getIssuerId(), g.getCredentialTypes(), g.getIssuedAt(),
                    g.getExpiresAt());
        }
    }

    /** An issuer's request to be allowed to write, waiting for the holder's answer. */
    record ConsentItem(String consentRequestId, String issuerId, List<String> credentialTypes, String purpose,
                       long createdAt) {
        static ConsentItem of(ConsentRequest r) {
            return new ConsentItem(r.getConsentRequestId(), r.getIssuerId(), r.getCredentialTypes(), r.getPurpose(),
                    r.getCreatedAt());
        }
    }

    /** A request waiting for the holder: who asks, for which fields of which credential, and why. */
    record InboxItem(String requestId, String consumerId, String consumerName, boolean accredited,
                     String credentialType, String credentialId, String issuerId, String purpose, long receivedAt,
                     List<String> fields) {
        static InboxItem of(PendingRequest p) {
            return new InboxItem(p.getRequest().getRequestId(), p.getRequest().getConsumerId(),
                    p.getConsumerDisplayName(), p.getConsumerAccredited(), p.getCredentialType(),
                    p.getCredentialId(), p.getIssuerId(), p.getRequest().getPurpose(), p.getReceivedAt(),
                    p.getRequest().getFields());
        }
    }

    /** One of the holder's credentials: its field names, never their values. */
    record CredentialItem(String credentialId, String type, String issuerId, String status, long issuedAt,
                          List<String> fields) {
        static CredentialItem of(String credentialId, StoredCredential stored) {
            return new CredentialItem(credentialId, stored.getCredential().getType(),
                    stored.getCredential().getIssuerId(), stored.getStatus().name(),
                    stored.getCredential().getIssuedAt(),
                    stored.getCredential().getFields().stream().map(EncryptedField::getName).toList());
        }
    }

    /** A grant the holder gave, with its terms and the uses it has left (-1: no limit). */
    record GrantItem(String grantId, String consumerId, String credentialId, String purpose, long grantedAt,
                     long expiresAt, int maxUses, int usesLeft, List<String> fields) {
        static GrantItem of(HolderClient.GrantView g) {
            return new GrantItem(g.grantId(), g.consumerId(), g.credentialId(), g.purpose(), g.grantedAt(),
                    g.expiresAt(), g.maxUses(), g.usesLeft(), g.fields());
        }
    }

    /** An entry of the holder's audit trail. */
    record ActivityItem(String outcome, String consumerId, String purpose, String requestId, String grantId, long at,
                        List<String> fields) {
        static ActivityItem of(AccessAudit a) {
            return new ActivityItem(a.getOutcome().name(), a.getConsumerId(), a.getPurpose(), a.getRequestId(),
                    a.getGrantId(), a.getAt(), a.getFields());
        }
    }
}
