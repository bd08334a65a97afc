package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.KeyBackup;
import io.idstream.gateway.views.HolderViews;
import io.idstream.mapping.AvroJson;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Base64;

/**
 * The routes of a holder's own lifecycle: storing her sealed key backup (docs/protocol.md section 17) and exporting
 * everything the platform holds on her as one JSON document. The gateway never sees a backup's passphrase; it checks
 * only that the bytes are a backup of the holder's own id, since anyone may read a holder's backup without a
 * signature (the {@code GET} of the backup route, which {@link GatewayHandler} paces).
 */
final class LifecycleRoutes {
    /** A backup is some 300 bytes of base64; the body that carries one is refused above this. */
    static final int BACKUP_MAX_BODY_BYTES = 4 * 1024;
    /** How many unsigned reads of one holder's backup an instance answers one client address an hour. */
    static final int BACKUP_READS_PER_HOUR = 5;
    private static final int AUDIT_PAGE = HolderRoutes.AUDIT_MAX_LIMIT;

    private final HolderViews views;
    private final HolderWrites writes;
    private final Clock clock;

    LifecycleRoutes(HolderViews views, HolderWrites writes, Clock clock) {
        this.views = views;
        this.writes = writes;
        this.clock = clock;
    }

    /** Stores the backup in {@code {"backup":"<base64url>"}} once it reads as a backup of {@code holderId}; 204. */
    void storeBackup(String holderId, byte[] body, Response response, Callback callback) {
        byte[] backup = backupBytes(body);
        String sealedFor;
        try {
            sealedFor = KeyBackup.readHeader(backup).principalId();
        } catch (CryptoException e) {
            throw ApiError.badRequest("backup: not a backup of docs/protocol.md section 17: " + e.getMessage());
        }
        if (!sealedFor.equals(holderId)) {
            throw ApiError.badRequest("backup: it seals the keys of another principal than the holder");
        }
        writes.storeBackup(new HolderBackup(holderId, ByteBuffer.wrap(backup), clock.millis()))
                .whenComplete((done, failure) -> {
                    if (failure == null) {
                        JsonResponses.noContent(response, callback);
                    } else {
                        JsonResponses.error(response, callback,
                                ApiError.unavailable("the write was not acknowledged"));
                    }
                });
    }

    private static byte[] backupBytes(byte[] body) {
        JsonNode json = GatewayHandler.readJson(body);
        if (json == null || !json.isObject() || json.size() != 1 || !json.path("backup").isTextual()) {
            throw ApiError.badRequest("the body is {\"backup\": \"<base64url>\"} and nothing else");
        }
        String text = json.get("backup").asText();
        try {
            // base64url as every bytes field of the API; the standard alphabet is taken too.
            return text.indexOf('+') >= 0 || text.indexOf('/') >= 0 ? Base64.getDecoder().decode(text)
                    : Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("backup: not base64url");
        }
    }

    /** Everything the platform holds on the holder, as the holder's own routes show each part. */
    ObjectNode export(String holderId) {
        long now = clock.millis();
        VerifiedPrincipal principal = views.principal(holderId)
                .orElseThrow(() -> ApiError.unavailable("the holder's directory entry is not readable"));
        ObjectNode document = JsonResponses.MAPPER.createObjectNode();
        document.put("holderId", holderId);
        document.put("exportedAt", now);
        document.set("principal", AvroJson.toJson(principal));
        document.set("credentials", HolderJson.list("credentials", views.credentials(holderId)).get("credentials"));
        document.set("grants", HolderJson.grants(views.grants(holderId)).get("grants"));
        document.set("writeGrants", HolderJson.list("writeGrants", views.writeGrants(holderId, now))
                .get("writeGrants"));
        document.set("consentRequests", HolderJson.list("consentRequests", views.consentRequests(holderId, now))
                .get("consentRequests"));
        document.set("inbox", HolderJson.list("requests", views.inbox(holderId, now)).get("requests"));
        ArrayNode audit = document.putArray("audit");
        HolderViews.AuditPage page = views.audit(holderId, -1, AUDIT_PAGE);
        while (true) {
            page.entries().forEach(entry -> audit.add(HolderJson.auditEntry(entry)));
            if (page.next() < 0) {
                break;
            }
            page = views.audit(holderId, page.next(), AUDIT_PAGE);
        }
        document.set("backup", views.backup(holderId)
                .<JsonNode>map(backup -> JsonResponses.MAPPER.createObjectNode().put("storedAt",
                        backup.getStoredAt()))
                .orElse(document.nullNode()));
        return document;
    }
}
