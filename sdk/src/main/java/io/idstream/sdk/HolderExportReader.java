package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;

import java.util.ArrayList;
import java.util.List;

import static io.idstream.sdk.GatewayAnswers.list;
import static io.idstream.sdk.GatewayAnswers.record;

/**
 * Reads the gateway's export of a holder ({@code GET /v1/holders/{id}/export}) into a {@link HolderExport}, opening
 * each credential here as {@link HolderClient#open} does. A credential that is not the holder's or does not open
 * (its issuer not trusted, its signature not its issuer's) is left out and reported, as a pending request that does
 * not verify is.
 */
final class HolderExportReader {
    private HolderExportReader() {
    }

    static HolderExport read(JsonNode document, Identity holder, HolderChecks checks, HolderSource source) {
        String holderId = GatewayAnswers.text(document, "holderId");
        VerifiedPrincipal principal = record(document.path("principal"), VerifiedPrincipal.class);
        if (!holderId.equals(holder.id()) || !principal.getPrincipal().getId().equals(holder.id())) {
            throw new IdstreamException("the gateway exported '" + holderId + "' for '" + holder.id() + "'");
        }
        List<StoredCredential> stored = list(document, "credentials", c -> record(c, StoredCredential.class));
        List<HolderExport.OpenedCredential> opened = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            CredentialIssued credential = stored.get(i).getCredential();
            try {
                if (!credential.getHolderId().equals(holder.id())) {
                    throw new IdstreamException("credential " + credential.getCredentialId() + " is addressed to '"
                            + credential.getHolderId() + "'");
                }
                opened.add(new HolderExport.OpenedCredential(credential.getCredentialId(), credential.getIssuerId(),
                        credential.getType(), stored.get(i).getStatus().name(), credential.getIssuedAt(),
                        credential.getExpiresAt(), checks.open(credential, holder.encryption())));
            } catch (IdstreamException e) {
                source.skip(new SkippedRecord(source.place("/export"), 0, i, e.getMessage()));
            }
        }
        JsonNode backup = document.path("backup");
        return new HolderExport(holderId, document.path("exportedAt").asLong(), principal, opened,
                list(document, "grants", GatewayAnswers::activeGrant),
                list(document, "writeGrants", grant -> GatewayAnswers.writeGrant(grant, holderId)),
                list(document, "consentRequests", request -> record(request, ConsentRequest.class)),
                list(document, "inbox", request -> record(request, PendingRequest.class)),
                list(document, "audit", entry -> GatewayAnswers.auditEntry(entry).entry()),
                backup.isObject() ? Long.valueOf(backup.path("storedAt").asLong()) : null);
    }
}
