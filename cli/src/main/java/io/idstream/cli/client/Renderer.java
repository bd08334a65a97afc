package io.idstream.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.WriteGrant;
import io.idstream.sdk.DeliveryOutcome;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the participants' commands print, as text for a person or, with {@code --json}, one JSON object a
 * line; the text and the JSON of each result are written side by side here, so the two cannot drift apart. A
 * delivery shows the names of its fields, never their values, and no key ever reaches this class.
 */
final class Renderer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;
    private final boolean json;

    Renderer(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** An id or a key a command made or acted on, alone on its line so that a script can read it. */
    void id(String id) {
        out.println(id);
    }

    /** A setting for a script, as {@code key=value}. */
    void setting(String key, Object value) {
        out.println(key + "=" + value);
    }

    /** A request waiting in a holder's inbox (text only: {@code inbox} has no {@code --json}). */
    void pending(PendingRequest pending) {
        out.println(pending.getRequest().getRequestId() + "  " + pending.getRequest().getConsumerId()
                + (pending.getConsumerAccredited() ? " (accredited)" : "") + "  asks for "
                + pending.getRequest().getFields() + " of " + pending.getCredentialType()
                + (pending.getIssuerId().isEmpty() ? "" : " from " + pending.getIssuerId())
                + "  purpose: " + pending.getRequest().getPurpose());
    }

    /** What a consumer received: a verified delivery (its field names), a refusal, or a notice. */
    void outcome(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered d) {
            Set<String> fields = new TreeSet<>(d.values().keySet());
            print("DELIVERED  " + d.requestId() + "  " + d.holderId() + "  " + fields + "  verified",
                    "outcome", "DELIVERED", "requestId", d.requestId(), "holderId", d.holderId(),
                    "credentialId", d.credentialId(), "grantId", d.grantId(), "fields", fields, "verified", true);
        } else if (outcome instanceof DeliveryOutcome.Refused r) {
            print("REFUSED    " + r.requestId() + "  " + r.failedCheck() + ": " + r.reason(),
                    "outcome", "REFUSED", "requestId", r.requestId(), "check", r.failedCheck().name(),
                    "reason", r.reason());
        } else if (outcome instanceof DeliveryOutcome.Notice n) {
            print(String.format("%-10s %s  %s  %s", n.kind(), n.requestId().isEmpty() ? n.grantId() : n.requestId(),
                            n.holderId(), n.reason()),
                    "outcome", n.kind().name(), "requestId", n.requestId(), "holderId", n.holderId(),
                    "grantId", n.grantId(), "reason", n.reason());
        }
    }

    /** A write grant in force: the issuer, the types it may write, until when. */
    void writeGrant(WriteGrant grant) {
        print(String.format("ALLOWED    %s  %s  may write %s until %tFT%<tT", grant.getWriteGrantId(),
                        grant.getIssuerId(), grant.getCredentialTypes(), grant.getExpiresAt()),
                "kind", "WRITE_GRANT", "writeGrantId", grant.getWriteGrantId(), "issuerId", grant.getIssuerId(),
                "credentialTypes", grant.getCredentialTypes(), "consentRequestId", grant.getConsentRequestId(),
                "issuedAt", grant.getIssuedAt(), "expiresAt", grant.getExpiresAt());
    }

    /** An issuer's request for consent, waiting for the holder's answer. */
    void consentRequest(ConsentRequest request) {
        print(String.format("ASKS       %s  %s  asks to write %s  purpose: %s", request.getConsentRequestId(),
                        request.getIssuerId(), request.getCredentialTypes(), request.getPurpose()),
                "kind", "CONSENT_REQUEST", "consentRequestId", request.getConsentRequestId(),
                "issuerId", request.getIssuerId(), "credentialTypes", request.getCredentialTypes(),
                "purpose", request.getPurpose(), "createdAt", request.getCreatedAt());
    }

    /** One entry of a holder's audit trail. */
    void audit(AccessAudit entry) {
        print(String.format("%tFT%<tT  %-18s %-12s %s  %s", entry.getAt(), entry.getOutcome(),
                        entry.getConsumerId().isEmpty() ? "-" : entry.getConsumerId(), entry.getFields(),
                        entry.getPurpose()),
                "at", entry.getAt(), "outcome", entry.getOutcome().name(), "consumerId", entry.getConsumerId(),
                "credentialId", entry.getCredentialId(), "requestId", entry.getRequestId(),
                "grantId", entry.getGrantId(), "fields", entry.getFields(), "purpose", entry.getPurpose());
    }

    void flush() {
        out.flush();
    }

    /** Prints {@code text}, or with {@code --json} the object of these keys and values, in this order. */
    private void print(String text, Object... keysAndValues) {
        out.println(json ? object(keysAndValues) : text);
    }

    private static String object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
