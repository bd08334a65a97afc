package io.idstream.gateway.http;

import io.idstream.gateway.views.HolderViews;
import io.idstream.gateway.views.HolderViews.Owner;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one target a request is routed by and verified for (docs/protocol.md section 16, "The gateway's side"): the
 * raw path of the request line, refused unless canonical; the authority of the parsed request URI (an absolute-form
 * request line's, else the Host header's), refused unless this gateway serves it; and the scheme of the listener,
 * whatever a header claims.
 *
 * @param uri  the {@code @target-uri} the signature is verified for
 * @param path the raw path, routed and compared with {@code {id}} as it is
 */
record RequestTarget(URI uri, String path) {

    /** The authorities one gateway instance serves, normalized as {@code @target-uri} is. */
    static final class Authorities {
        private final String scheme;
        private final Set<String> configured;
        private final HolderViews views;

        /**
         * @param scheme            the listener's scheme, which decides the default port
         * @param listenHost        the address the server listens on: on loopback, {@code 127.0.0.1} and
         *                          {@code localhost} at the bound port are served
         * @param boundPort         the port the server listens on
         * @param publicAuthorities {@code host[:port]} names holders reach the gateway by
         * @param views             the instances of this gateway, whose advertised authority a forwarded request
         *                          arrives with
         */
        Authorities(String scheme, String listenHost, int boundPort, List<String> publicAuthorities,
                    HolderViews views) {
            this.scheme = scheme;
            Set<String> served = new HashSet<>();
            if (!isWildcard(listenHost)) {
                served.add(normalize(scheme, listenHost, boundPort));
            }
            if (isLoopback(listenHost)) {
                served.add(normalize(scheme, "127.0.0.1", boundPort));
                served.add(normalize(scheme, "localhost", boundPort));
            }
            for (String authority : publicAuthorities) {
                served.add(normalize(scheme, authority));
            }
            this.configured = Set.copyOf(served);
            this.views = views;
        }

        /** Whether {@code authority}, normalized, is one this instance serves. */
        boolean serves(String authority) {
            if (configured.contains(authority)) {
                return true;
            }
            for (Owner instance : views.instances()) {
                if (normalize(scheme, instance.host(), instance.port()).equals(authority)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isWildcard(String host) {
            try {
                return InetAddress.getByName(host).isAnyLocalAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    /**
     * The request's target, or a 400 bad-request {@link ApiError} when its raw path is not canonical or its
     * authority is not one this gateway serves.
     */
    static RequestTarget of(Request request, Authorities authorities) {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (!isCanonical(path)) {
            throw ApiError.badRequest("the request's path is not canonical: no dot segment, empty segment, ';' or"
                    + " '%' is allowed");
        }
        String scheme = request.getConnectionMetaData().isSecure() ? "https" : "http";
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiError.badRequest("the request names no authority");
        }
        String authority = normalize(scheme, uri.getHost(), uri.getPort());
        if (!authorities.scheme.equals(scheme) || !authorities.serves(authority)) {
            throw ApiError.badRequest("this gateway does not serve the authority '" + authority + "'");
        }
        String query = uri.getQuery();
        try {
            return new RequestTarget(URI.create(scheme + "://" + authority + path + (query == null ? ""
                    : "?" + query)), path);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the request URI is not valid");
        }
    }

    /**
     * A raw path of segments each non-empty, none {@code .} or {@code ..}, with no {@code ;} and no {@code %}: the
     * only form a holder's request needs, and one that every reader decodes and normalizes the same.
     */
    static boolean isCanonical(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code host[:port]} as {@code @target-uri} has it: lower case, the scheme's default port dropped. */
    static String normalize(String scheme, String host, int port) {
        String lower = host.toLowerCase(Locale.ROOT);
        boolean defaultPort = port <= 0 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return defaultPort ? lower : lower + ":" + port;
    }

    private static String normalize(String scheme, String authority) {
        String value = authority.strip();
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.endsWith("]")) {
            return normalize(scheme, value, -1);
        }
        try {
            return normalize(scheme, value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return value.toLowerCase(Locale.ROOT);
        }
    }
}
