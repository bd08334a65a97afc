package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.avro.Revocation;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Decisions;
import io.idstream.gateway.http.ApiRoute.Match;
import io.idstream.gateway.views.HolderViews;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RekeyRecords;
import io.idstream.mapping.WriteGrantRecords;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * What each route answers once the request is authenticated and this instance owns the holder: reads from the
 * holder's views, and the writes of a registration or a decision after its own signature verified, answered 202
 * once Kafka has the record.
 */
final class HolderRoutes {
    static final int AUDIT_DEFAULT_LIMIT = 50;
    static final int AUDIT_MAX_LIMIT = 500;

    private final HolderViews views;
    private final HolderWrites writes;
    private final EventStreams events;
    private final Clock clock;
    private final LifecycleRoutes lifecycle;

    HolderRoutes(HolderViews views, HolderWrites writes, EventStreams events, Clock clock) {
        this.views = views;
        this.writes = writes;
        this.events = events;
        this.clock = clock;
        this.lifecycle = new LifecycleRoutes(views, writes, clock);
    }

    void handle(Match match, String signer, Principal registration, byte[] body, Request request, Response response,
                Callback callback) {
        String holderId = match.holderId();
        switch (match.route()) {
            case REGISTER -> register(registration, response, callback);
            case INBOX -> ok(response, callback, HolderJson.list("requests", views.inbox(holderId, clock.millis())));
            case CREDENTIALS -> ok(response, callback, HolderJson.list("credentials", views.credentials(holderId)));
            case CREDENTIAL -> ok(response, callback, AvroJson.toJson(views.credential(holderId,
                            match.parameters().get("credentialId"))
                    .orElseThrow(() -> ApiError.notFound("the holder has no credential of this id"))));
            case GRANTS -> ok(response, callback, HolderJson.grants(views.grants(holderId)));
            case AUDIT -> audit(holderId, request, response, callback);
            case DECISIONS -> decide(signer, GatewayHandler.parse(body, DecisionEvent.class), response, callback);
            case EVENTS -> events.open(holderId, keyStillBound(holderId), request, response, callback);
            case PRINCIPAL -> ok(response, callback, AvroJson.toJson(views.principal(
                            match.parameters().get("principalId"))
                    .orElseThrow(() -> ApiError.notFound("no verified principal has this id"))));
            case WRITE_GRANTS -> ok(response, callback, HolderJson.list("writeGrants",
                    views.writeGrants(holderId, clock.millis())));
            case CONSENT_REQUESTS -> ok(response, callback, HolderJson.list("consentRequests",
                    views.consentRequests(holderId, clock.millis())));
            case STORE_BACKUP -> lifecycle.storeBackup(holderId, body, response, callback);
            case EXPORT -> ok(response, callback, lifecycle.export(holderId));
            default -> throw ApiError.notFound("no route for this path");
        }
    }

    /** The unsigned read of the holder's sealed backup, once paced and routed to this instance. */
    void fetchBackup(String holderId, Response response, Callback callback) {
        ok(response, callback, AvroJson.toJson(views.backup(holderId).orElseThrow(ApiError::noBackup)));
    }

    /**
     * Whether the key the holder's stream is opened under (the one her request was just verified with) is still
     * the one the directory binds to her id; while her views cannot be read it is taken to be.
     */
    private BooleanSupplier keyStillBound(String holderId) {
        byte[] openedUnder = views.principal(holderId).map(VerifiedPrincipal::getPrincipal)
                .map(PrincipalRecords::signingKey)
                .orElseThrow(() -> ApiError.unavailable("the holder's key is not readable"));
        return () -> {
            try {
                return views.principal(holderId).map(VerifiedPrincipal::getPrincipal)
                        .map(PrincipalRecords::signingKey).filter(key -> Arrays.equals(key, openedUnder))
                        .isPresent();
            } catch (InvalidStateStoreException moving) {
                return true;
            }
        };
    }

    /** The shape checks of a registration, made before its key is used to verify the request's signature. */
    static void checkRegistrationShape(Principal registration) {
        if (!ApiRoute.PRINCIPAL_ID.matcher(registration.getId()).matches()) {
            throw ApiError.badRequest("id: not a principal id (" + ApiRoute.PRINCIPAL_ID.pattern() + ")");
        }
        if (!RequestAuthenticator.HOLDER_ROLE.equals(registration.getRole())) {
            throw ApiError.badRequest("role: only holders register through the gateway");
        }
        if (PrincipalRecords.signingKey(registration).length != 32
                || PrincipalRecords.encryptionKey(registration).length != 32) {
            throw ApiError.badRequest("signingKey, encryptionKey: public keys are 32 bytes each");
        }
    }

    private void register(Principal registration, Response response, Callback callback) {
        // A registration of an id the directory binds is signed by the bound key, whatever key it carries: that is
        // how a holder rotates its keys (docs/protocol.md section 7). Only a new id signs with the key it registers.
        Optional<Principal> bound = views.principal(registration.getId()).map(VerifiedPrincipal::getPrincipal);
        try {
            Decisions.verifyPrincipal(bound.map(PrincipalRecords::signingKey).orElse(null),
                    PrincipalRecords.statement(registration), AvroBytes.of(registration.getSignature()));
        } catch (CryptoException e) {
            throw ApiError.badRequest(bound.isPresent()
                    ? "signature: the registration is not signed by the key bound to '" + registration.getId() + "'"
                    : "signature: the registration is not signed by the key it registers");
        }
        ObjectNode answer = JsonResponses.MAPPER.createObjectNode().put("holderId", registration.getId());
        if (bound.filter(inForce -> !isNewer(registration, inForce)).isPresent()) {
            // A registration the directory has already, or one older than it, changes nothing: repeating it must
            // not write to the directory again and again.
            JsonResponses.send(response, callback, 202, answer);
            return;
        }
        accepted(writes.register(registration), answer, response, callback);
    }

    /** Newer: other keys, or the same keys registered later (a new display name). */
    private static boolean isNewer(Principal registration, Principal inForce) {
        boolean sameKeys = Arrays.equals(PrincipalRecords.signingKey(registration),
                PrincipalRecords.signingKey(inForce))
                && Arrays.equals(PrincipalRecords.encryptionKey(registration),
                PrincipalRecords.encryptionKey(inForce));
        return !sameKeys || registration.getRegisteredAt() > inForce.getRegisteredAt();
    }

    private void decide(String signer, DecisionEvent event, Response response, Callback callback) {
        Object decision = event.getDecision();
        String decidedFor = decisionHolder(decision);
        if (!signer.equals(decidedFor)) {
            throw ApiError.forbidden("the decision's holderId is not the signer");
        }
        byte[] key = views.principal(signer).map(VerifiedPrincipal::getPrincipal).map(PrincipalRecords::signingKey)
                .orElseThrow(() -> ApiError.unavailable("the holder's key is not readable"));
        try {
            if (decision instanceof Grant grant) {
                GrantRecords.verify(key, grant);
            } else if (decision instanceof Denial denial) {
                DecisionRecords.verify(key, denial);
            } else if (decision instanceof Revocation revocation) {
                DecisionRecords.verify(key, revocation);
            } else if (decision instanceof WriteGrant writeGrant) {
                WriteGrantRecords.verify(key, writeGrant);
            } else if (decision instanceof WriteGrantRevocation revocation) {
                WriteGrantRecords.verify(key, revocation);
            } else if (decision instanceof CredentialRekeyed rekeyed) {
                RekeyRecords.verify(key, rekeyed);
            } else {
                DecisionRecords.verify(key, (Erasure) decision);
            }
        } catch (CryptoException e) {
            throw ApiError.badRequest("decision.signature: the " + decision.getClass().getSimpleName()
                    + " is not signed by the holder's key");
        }
        accepted(writes.decide(signer, event), JsonResponses.MAPPER.createObjectNode().put("accepted", true),
                response, callback);
    }

    private static String decisionHolder(Object decision) {
        if (decision instanceof Grant grant) {
            return grant.getHolderId();
        } else if (decision instanceof Denial denial) {
            return denial.getHolderId();
        } else if (decision instanceof Revocation revocation) {
            return revocation.getHolderId();
        } else if (decision instanceof WriteGrant writeGrant) {
            return writeGrant.getHolderId();
        } else if (decision instanceof WriteGrantRevocation revocation) {
            return revocation.getHolderId();
        } else if (decision instanceof CredentialRekeyed rekeyed) {
            return rekeyed.getHolderId();
        }
        return ((Erasure) decision).getHolderId();
    }

    private void audit(String holderId, Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        long after = longParameter(query, "after", -1);
        long limit = longParameter(query, "limit", AUDIT_DEFAULT_LIMIT);
        if (after < -1) {
            throw ApiError.badRequest("after: a cursor is -1 or more");
        }
        if (limit < 1 || limit > AUDIT_MAX_LIMIT) {
            throw ApiError.badRequest("limit: from 1 to " + AUDIT_MAX_LIMIT);
        }
        ok(response, callback, HolderJson.auditPage(views.audit(holderId, after, (int) limit)));
    }

    private static long longParameter(Fields query, String name, long otherwise) {
        String value = query.getValue(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": not an integer");
        }
    }

    static void accepted(CompletableFuture<Void> written, JsonNode answer, Response response,
                                 Callback callback) {
        written.whenComplete((done, failure) -> {
            if (failure == null) {
                JsonResponses.send(response, callback, 202, answer);
            } else {
                JsonResponses.error(response, callback, ApiError.unavailable("the write was not acknowledged"));
            }
        });
    }

    private static void ok(Response response, Callback callback, JsonNode body) {
        JsonResponses.send(response, callback, 200, body);
    }
}
