package io.idstream.crypto.http;

import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The signature base of RFC 9421 section 2.5 for a request: one line {@code "<component>": <value>} per covered
 * component, in the order covered, then {@code "@signature-params": <the inner list, serialized>}, lines separated by
 * LF, with no LF at the end. Covers the derived components {@code @method}, {@code @target-uri},
 * {@code @authority}, {@code @scheme}, {@code @path}, {@code @query} and {@code @request-target}, and header fields
 * by their lower-case names; component parameters ({@code ;sf}, {@code ;req} ...) are not supported. A message that
 * cannot be put into a base fails with an {@link IllegalArgumentException} whose text says why.
 */
final class SignatureBase {
    private SignatureBase() {
    }

    /**
     * The request as the signature base sees it.
     *
     * @param header the value of a header field by its lower-case name, several lines joined by ", "; null when absent
     */
    record Request(String method, URI targetUri, Function<String, String> header) {
    }

    static byte[] of(InnerList covered, Request request) {
        StringBuilder base = new StringBuilder();
        Set<String> seen = new HashSet<>();
        TargetUri target = null;
        for (Item component : covered.items()) {
            if (!(component.value() instanceof String name) || !component.params().isEmpty()) {
                throw new IllegalArgumentException("a covered component is not a plain string");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("component " + name + " is covered twice");
            }
            String value;
            if (name.startsWith("@")) {
                target = target == null ? TargetUri.of(request.targetUri()) : target;
                value = derived(name, request.method(), target);
            } else {
                value = field(name, request.header());
            }
            checkLine(name, value);
            base.append('"').append(name).append("\": ").append(value).append('\n');
        }
        String params = StructuredFields.serialize(covered);
        checkLine("@signature-params", params);
        base.append("\"@signature-params\": ").append(params);
        return base.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String derived(String name, String method, TargetUri target) {
        return switch (name) {
            case "@method" -> method;
            case "@target-uri" -> target.scheme() + "://" + target.authority() + target.pathAndQuery();
            case "@authority" -> target.authority();
            case "@scheme" -> target.scheme();
            case "@path" -> target.path();
            case "@query" -> "?" + (target.query() == null ? "" : target.query());
            case "@request-target" -> target.pathAndQuery();
            default -> throw new IllegalArgumentException("component " + name + " is not supported");
        };
    }

    private static String field(String name, Function<String, String> header) {
        if (!name.equals(name.toLowerCase(Locale.ROOT)) || name.isEmpty()) {
            throw new IllegalArgumentException("a covered field name is not in lower case");
        }
        String value = header.apply(name);
        if (value == null) {
            throw new IllegalArgumentException("the covered field " + name + " is absent");
        }
        return stripOws(value);
    }

    /**
     * The field value without leading and trailing OWS, which RFC 9110 section 5.5 and RFC 8941 define as SP and HTAB
     * only: any other control character stays, and {@link #checkLine} refuses it.
     */
    static String stripOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    /** The base is ASCII and line-based: a value with a line break or a non-ASCII character could forge lines. */
    private static void checkLine(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new IllegalArgumentException("component " + name + " has a character outside visible ASCII");
            }
        }
    }

    /**
     * The normalized target URI of docs/protocol.md section 16: scheme and host in lower case, a default port
     * (80 for http, 443 for https) dropped, the path as given ("/" when empty), the query as given; no user info and
     * no fragment.
     */
    record TargetUri(String scheme, String authority, String path, String query) {
        static TargetUri of(URI uri) {
            if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.isOpaque()) {
                throw new IllegalArgumentException("the target URI is not an absolute URI with a host");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                    || (scheme.equals("https") && port == 443);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new TargetUri(scheme, defaultPort ? host : host + ":" + port, path, uri.getRawQuery());
        }

        String pathAndQuery() {
            return query == null ? path : path + "?" + query;
        }
    }
}
