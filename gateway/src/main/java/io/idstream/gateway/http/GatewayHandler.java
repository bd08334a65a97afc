package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.Principal;
import io.idstream.crypto.http.MessageSignatures.Verified;
import io.idstream.gateway.http.ApiRoute.Match;
import io.idstream.gateway.views.HolderViews;
import io.idstream.gateway.views.HolderViews.Owner;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.PrincipalRecords;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Every request's way through the gateway: the route (404, 405), the body's size (413), the holder's signature
 * (401), the holder's right to the path (403), the instance that owns the holder (forward, or 503 while
 * rebalancing), the nonce (401, 429), then the route itself. Bodies are read without blocking a thread. The unsigned
 * read of a holder's backup is paced per holder id and client address (429) instead of signed.
 */
final class GatewayHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final HolderViews views;
    private final Clock clock;
    private final GatewayLimits limits;
    private final RequestAuthenticator authenticator;
    private final NonceCache nonces;
    private final Forwarder forwarder;
    private final HolderRoutes routes;
    private final byte[] openApi;
    private final PartitionTakeovers takeovers;
    private final RateLimiter registrations;
    private final RateLimiter backupReads;
    private final InstanceAddresses instances;
    private volatile RequestTarget.Authorities authorities;

    GatewayHandler(HolderViews views, Clock clock, GatewayLimits limits, NonceCache nonces, Forwarder forwarder,
                   HolderRoutes routes, byte[] openApi, PartitionTakeovers takeovers) {
        this.views = views;
        this.takeovers = takeovers;
        this.clock = clock;
        this.limits = limits;
        this.authenticator = new RequestAuthenticator(views, clock, limits);
        this.nonces = nonces;
        this.forwarder = forwarder;
        this.routes = routes;
        this.openApi = openApi;
        this.instances = new InstanceAddresses(views);
        this.registrations = new RateLimiter("registrations", limits.registrationsPerAddressPerMinute(),
                limits.registrationsPerMinute(), clock.millis());
        // Per holder id and client address: a cap per id, or for the instance, would let anyone lock a holder out
        // of her recovery by reading her backup first.
        this.backupReads = new RateLimiter("backup reads", "of this holder id from this address",
                ApiError.RATE_LIMITED, LifecycleRoutes.BACKUP_READS_PER_HOUR, Integer.MAX_VALUE, Duration.ofHours(1), clock.millis());
    }

    /** The authorities to serve, known once the server has bound its port; until then every request is refused. */
    void serve(RequestTarget.Authorities served) {
        this.authorities = served;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestTarget target;
        Match match;
        try {
            RequestTarget.Authorities served = authorities;
            if (served == null) {
                throw ApiError.unavailable("the gateway is starting");
            }
            // Before routing: the path routed and compared with {id} is the one the signature covers.
            target = RequestTarget.of(request, served);
        } catch (ApiError error) {
            refuseUnread(request, response, callback, error);
            return true;
        }
        try {
            Optional<Match> found = ApiRoute.match(request.getMethod(), target.path());
            if (found.isEmpty()) {
                refuseUnread(request, response, callback, ApiError.notFound("no route for this path"));
                return true;
            }
            match = found.get();
        } catch (ApiRoute.MethodNotAllowed e) {
            closeIfBodyUnread(request, response);
            JsonResponses.methodNotAllowed(response, callback, e.allowed);
            return true;
        }
        if (match.route() == ApiRoute.OPENAPI) {
            closeIfBodyUnread(request, response);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/yaml");
            response.write(true, ByteBuffer.wrap(openApi), callback);
            return true;
        }
        boolean fromInstance = instances.forwardedByAnInstance(request, clock.millis());
        if (match.route() == ApiRoute.FETCH_BACKUP) {
            fetchBackup(match.holderId(), fromInstance, request, response, callback);
            return true;
        }
        if (match.route() == ApiRoute.REGISTER && !fromInstance) {
            // Before the body is read: anyone may register, so registrations are paced per source address and for
            // the instance, each a directory entry for good. A registration another instance forwarded was paced
            // there, by its client's address.
            try {
                registrations.acquire(Request.getRemoteAddr(request), clock.millis());
            } catch (ApiError error) {
                refuseUnread(request, response, callback, error);
                return true;
            }
        }
        int maxBodyBytes = match.route() == ApiRoute.STORE_BACKUP ? LifecycleRoutes.BACKUP_MAX_BODY_BYTES
                : limits.maxBodyBytes();
        if (request.getLength() > maxBodyBytes) {
            refuseUnread(request, response, callback, tooLarge());
            return true;
        }
        try {
            authenticator.checkBeforeBody(request, target, match.route() != ApiRoute.REGISTER);
        } catch (ApiError error) {
            refuseUnread(request, response, callback, error);
            return true;
        } catch (InvalidStateStoreException e) {
            refuseUnread(request, response, callback, ApiError.unavailable("the holder's views are moving"));
            return true;
        }
        BodyReader.read(request, maxBodyBytes, (body, failure) -> {
            if (failure != null) {
                refuseUnread(request, response, callback, failure instanceof BodyReader.TooLarge ? tooLarge()
                        : ApiError.badRequest("the body could not be read"));
                return;
            }
            try {
                dispatch(match, target, body.length == 0 ? null : body, fromInstance, request, response,
                        callback);
            } catch (ApiError error) {
                JsonResponses.error(response, callback, error);
            } catch (InvalidStateStoreException e) {
                JsonResponses.error(response, callback, ApiError.unavailable("the holder's views are moving"));
            } catch (RuntimeException e) {
                LOG.error("request failed route={} reason={}", match.route(), e.toString());
                JsonResponses.error(response, callback, new ApiError(500, ApiError.INTERNAL, "internal error"));
            }
        });
        return true;
    }

    /**
     * The one holder route read without a signature: a holder recovering her keys has none (docs/protocol.md section
     * 17). Reads are paced per holder id and client address where the client's request arrives, then go to the
     * owner of the holder as a signed request does (which does not pace them again: it would see the forwarding
     * instance's address, shared by every client). The pace limits traffic, not guessing: one read is enough to guess
     * the passphrase offline, against which the passphrase and Argon2id are the defence. An id the directory does not
     * show as a holder has no backup, and takes no token, so that the pace is kept for registered holders only.
     */
    private void fetchBackup(String holderId, boolean fromInstance, Request request, Response response,
                             Callback callback) {
        try {
            boolean holder = views.principal(holderId)
                    .filter(entry -> RequestAuthenticator.HOLDER_ROLE.equals(entry.getPrincipal().getRole()))
                    .isPresent();
            if (!holder) {
                throw ApiError.noBackup();
            }
            if (!fromInstance) {
                // A space is in no principal id (docs/protocol.md section 1) and in no address.
                backupReads.acquire(holderId + " " + Request.getRemoteAddr(request), clock.millis());
            }
            Owner owner = views.ownerOf(holderId)
                    .orElseThrow(() -> ApiError.unavailable("the gateway is rebalancing"));
            if (!owner.local()) {
                if (fromInstance) {
                    throw ApiError.unavailable("the instances disagree on who owns this holder");
                }
                forwarder.forward(request, null, owner, response, callback);
                return;
            }
            routes.fetchBackup(holderId, response, callback);
        } catch (ApiError error) {
            refuseUnread(request, response, callback, error);
        } catch (InvalidStateStoreException e) {
            refuseUnread(request, response, callback, ApiError.unavailable("the holder's views are moving"));
        }
    }

    private void dispatch(Match match, RequestTarget target, byte[] body, boolean fromInstance, Request request,
                          Response response, Callback callback) {
        Principal registration = null;
        Verified signer;
        String ownerKey;
        if (match.route() == ApiRoute.REGISTER) {
            Principal principal = parse(body, Principal.class);
            HolderRoutes.checkRegistrationShape(principal);
            registration = principal;
            // An id the directory binds already is re-registered under the key bound to it (docs/protocol.md
            // section 16, "Registration"); only a new id brings its own key.
            signer = authenticator.verify(request, target, body, id -> !id.equals(principal.getId())
                    ? Optional.empty()
                    : Optional.of(views.principal(id)
                            .map(entry -> PrincipalRecords.signingKey(entry.getPrincipal()))
                            .orElseGet(() -> PrincipalRecords.signingKey(principal))));
            ownerKey = principal.getId();
        } else {
            signer = authenticator.verifyHolder(request, target, body);
            String holderId = match.holderId();
            if (holderId != null && !holderId.equals(signer.keyId())) {
                throw ApiError.forbidden("a holder may only act under its own id");
            }
            ownerKey = signer.keyId();
        }
        Owner owner = views.ownerOf(ownerKey)
                .orElseThrow(() -> ApiError.unavailable("the gateway is rebalancing"));
        if (!owner.local()) {
            if (fromInstance) {
                throw ApiError.unavailable("the instances disagree on who owns this holder");
            }
            forwarder.forward(request, body, owner, response, callback);
            return;
        }
        takeovers.checkSignedAfterTakeover(signer.keyId(), signer.created(), limits.clockSkew().toSeconds());
        nonces.use(signer.keyId(), signer.nonce(), signer.created(), clock.millis());
        routes.handle(match, signer.keyId(), registration, body, request, response, callback);
    }

    static <T extends SpecificRecord> T parse(byte[] body, Class<T> type) {
        JsonNode json = readJson(body);
        try {
            return AvroJson.fromJson(json, type);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** The request's body as one JSON value, or a bad request naming why it is not one. */
    static JsonNode readJson(byte[] body) {
        if (body == null) {
            throw ApiError.badRequest("the request has no body");
        }
        try {
            return JsonResponses.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not one JSON value without duplicate members");
        }
    }

    /**
     * A refusal sent before the body is read, or while it is: the rest of the body is not read, so the connection
     * closes after the answer.
     */
    private static void refuseUnread(Request request, Response response, Callback callback, ApiError error) {
        closeIfBodyUnread(request, response);
        JsonResponses.error(response, callback, error);
    }

    /**
     * Drops what has arrived of a body the gateway will not read; if more is to come, the answer says the connection
     * closes ({@code Connection: close}). A client told nothing would send its next request on that connection and
     * get no answer at all.
     */
    private static void closeIfBodyUnread(Request request, Response response) {
        if (!request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, ApiError.TOO_LARGE, "the body is larger than the gateway accepts");
    }
}
