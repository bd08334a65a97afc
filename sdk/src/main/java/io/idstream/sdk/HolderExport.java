package io.idstream.sdk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.AvroJson;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything the platform holds on a holder (the right of access and portability, GDPR articles 15 and 20), as the
 * gateway's export serves it, with each credential opened here with the holder's own key: the only plaintext in it,
 * so {@link #toJson()} is for a file of the holder's, never for a log. {@code backupStoredAt} is null when the
 * platform keeps no backup.
 */
public record HolderExport(String holderId, long exportedAt, VerifiedPrincipal principal,
                           List<OpenedCredential> credentials, List<GatewayConnection.ActiveGrant> grants,
                           List<WriteGrant> writeGrants, List<ConsentRequest> consentRequests,
                           List<PendingRequest> inbox, List<AccessAudit> audit, Long backupStoredAt) {
    public HolderExport {
        credentials = List.copyOf(credentials);
        grants = List.copyOf(grants);
        writeGrants = List.copyOf(writeGrants);
        consentRequests = List.copyOf(consentRequests);
        inbox = List.copyOf(inbox);
        audit = List.copyOf(audit);
    }

    /** A stored credential, opened: its fields decrypted and checked against what its issuer signed. */
    public record OpenedCredential(String credentialId, String issuerId, String type, String status, long issuedAt,
                                   long expiresAt, Map<String, String> fields) {
        public OpenedCredential {
            fields = Map.copyOf(fields);
        }

        /** Names the fields, never their values. */
        @Override
        public String toString() {
            return "OpenedCredential[" + credentialId + ", " + type + ", fields=" + new TreeSet<>(fields.keySet())
                    + "]";
        }
    }

    /** Names what the export holds, never a value. */
    @Override
    public String toString() {
        return "HolderExport[" + holderId + ", credentials=" + credentials.size() + ", grants=" + grants.size()
                + ", audit=" + audit.size() + "]";
    }

    /** The export as one JSON document; records in the gateway's JSON form, the credentials' fields in clear. */
    public String toJson() {
        ObjectNode document = GatewayConnection.JSON.createObjectNode();
        document.put("holderId", holderId);
        document.put("exportedAt", exportedAt);
        document.set("principal", AvroJson.toJson(principal));
        ArrayNode opened = document.putArray("credentials");
        for (OpenedCredential credential : credentials) {
            ObjectNode json = opened.addObject().put("credentialId", credential.credentialId())
                    .put("issuerId", credential.issuerId()).put("type", credential.type())
                    .put("status", credential.status()).put("issuedAt", credential.issuedAt())
                    .put("expiresAt", credential.expiresAt());
            ObjectNode fields = json.putObject("fields");
            new TreeSet<>(credential.fields().keySet()).forEach(name -> fields.put(name, credential.fields()
                    .get(name)));
        }
        ArrayNode grantList = document.putArray("grants");
        grants.forEach(grant -> grantList.addObject().put("uses", grant.uses())
                .set("grant", AvroJson.toJson(grant.grant())));
        ArrayNode writeGrantList = document.putArray("writeGrants");
        writeGrants.forEach(grant -> writeGrantList.add(AvroJson.toJson(grant)));
        ArrayNode consentList = document.putArray("consentRequests");
        consentRequests.forEach(request -> consentList.add(AvroJson.toJson(request)));
        ArrayNode inboxList = document.putArray("inbox");
        inbox.forEach(request -> inboxList.add(AvroJson.toJson(request)));
        ArrayNode auditList = document.putArray("audit");
        audit.forEach(entry -> auditList.add(AvroJson.toJson(entry)));
        if (backupStoredAt == null) {
            document.putNull("backup");
        } else {
            document.putObject("backup").put("storedAt", backupStoredAt);
        }
        return document.toPrettyString();
    }
}
