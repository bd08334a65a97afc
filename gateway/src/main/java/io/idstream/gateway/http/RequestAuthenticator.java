package io.idstream.gateway.http;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.crypto.http.MessageSignatures.Verified;
import io.idstream.gateway.views.HolderViews;
import io.idstream.mapping.PrincipalRecords;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a request's RFC 9421 signature as docs/protocol.md section 16 says, against the signing key the verified
 * directory binds to the keyid, and only for principals registered as holders. The covered {@code @target-uri} is
 * the request's {@link RequestTarget}.
 */
final class RequestAuthenticator {
    static final String HOLDER_ROLE = "holder";

    private final HolderViews views;
    private final Clock clock;
    private final long skewSeconds;

    RequestAuthenticator(HolderViews views, Clock clock, GatewayLimits limits) {
        this.views = views;
        this.clock = clock;
        this.skewSeconds = limits.clockSkew().toSeconds();
    }

    /** Verifies with the key of a registered holder. */
    Verified verifyHolder(Request request, RequestTarget target, byte[] bodyOrNull) {
        return verify(request, target, bodyOrNull, this::holderKey);
    }

    /** Verifies with the key given for one id (a registration's own key). */
    Verified verify(Request request, RequestTarget target, byte[] bodyOrNull,
                    Function<String, Optional<byte[]>> keyOf) {
        try {
            return MessageSignatures.verify(request.getMethod(), target.uri(), name -> header(request, name),
                    bodyOrNull,
                    keyOf, clock.instant().getEpochSecond(), skewSeconds);
        } catch (SignatureRefused refused) {
            throw new ApiError(401, refused.code(), refused.getMessage());
        }
    }

    /**
     * The checks that need no body, made before it is read, so that a client that cannot sign as a registered
     * holder does not get to send 64 KiB first: the signature headers are there and well-formed (keyid a principal
     * id), {@code created} is fresh and, when {@code knownHolder}, the keyid is a registered holder's. The same
     * reading as {@link #verify}'s, stopped before the digest and the signature, which {@link #verify} checks once
     * the body is read.
     */
    void checkBeforeBody(Request request, RequestTarget target, boolean knownHolder) {
        boolean announcesBody = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        byte[] bodyStandIn = announcesBody ? new byte[1] : null;
        try {
            MessageSignatures.verify(request.getMethod(), target.uri(), name -> header(request, name), bodyStandIn,
                    id -> {
                        if (knownHolder && holderKey(id).isEmpty()) {
                            return Optional.empty();
                        }
                        throw CHECKED_BEFORE_BODY;
                    }, clock.instant().getEpochSecond(), skewSeconds);
        } catch (SignatureRefused refused) {
            throw new ApiError(401, refused.code(), refused.getMessage());
        } catch (CheckedBeforeBody checked) {
            return;
        }
        throw new IllegalStateException("the signature was verified without its key");
    }

    /** Stops the verification once what does not need the body is checked. */
    private static final class CheckedBeforeBody extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckedBeforeBody() {
            super("checked before the body", null, false, false);
        }
    }

    private static final CheckedBeforeBody CHECKED_BEFORE_BODY = new CheckedBeforeBody();

    private Optional<byte[]> holderKey(String id) {
        return views.principal(id)
                .map(VerifiedPrincipal::getPrincipal)
                .filter(principal -> HOLDER_ROLE.equals(principal.getRole()))
                .map(PrincipalRecords::signingKey);
    }

    private static String header(Request request, String name) {
        List<String> values = request.getHeaders().getValuesList(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
