package io.idstream.cli.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.sdk.HolderClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the wallet page may see and do, over the holder's client: the state it shows (names, ids and terms, never a
 * key or a field value) and the holder's decisions, each a JSON body in and an object out for the server to write
 * as JSON. A bad body is an {@link IllegalArgumentException}, answered with 400. One call at a time: the wallet
 * serves the page on several threads (its event streams hold some), and the page's reads and clicks take turns here.
 */
final class WalletApi {
    private final HolderClient holder;

    WalletApi(HolderClient holder) {
        this.holder = holder;
    }

    /** The holder's decisions by path, for the server's POST requests. */
    Map<String, Function<JsonNode, Object>> actions() {
        return Map.of(
                "/api/approve", body -> inTurn(() -> approve(body)),
                "/api/deny", body -> inTurn(() -> done(holder::deny, text(body, "requestId"))),
                "/api/revoke", body -> inTurn(() -> done(holder::revoke, text(body, "grantId"))),
                "/api/erase", body -> inTurn(() -> done(holder::erase, text(body, "credentialId"))));
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
        return new State(holder.identity().id(), inbox, credentials, grants, activity);
    }

    /** The body of {@code GET /api/state}; newest activity first. */
    record State(String holder, List<InboxItem> inbox, List<CredentialItem> credentials, List<GrantItem> grants,
                 List<ActivityItem> activity) {
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
