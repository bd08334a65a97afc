package io.idstream.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every route of the API, as the OpenAPI document names it (method and path template); the contract test compares
 * this list with the document both ways.
 */
enum ApiRoute {
    OPENAPI("GET", "/v1/openapi.yaml"),
    REGISTER("POST", "/v1/holders"),
    INBOX("GET", "/v1/holders/{holderId}/inbox"),
    CREDENTIALS("GET", "/v1/holders/{holderId}/credentials"),
    CREDENTIAL("GET", "/v1/holders/{holderId}/credentials/{credentialId}"),
    GRANTS("GET", "/v1/holders/{holderId}/grants"),
    AUDIT("GET", "/v1/holders/{holderId}/audit"),
    DECISIONS("POST", "/v1/holders/{holderId}/decisions"),
    EVENTS("GET", "/v1/holders/{holderId}/events"),
    WRITE_GRANTS("GET", "/v1/holders/{holderId}/write-grants"),
    CONSENT_REQUESTS("GET", "/v1/holders/{holderId}/consent-requests"),
    STORE_BACKUP("PUT", "/v1/holders/{holderId}/backup"),
    /** Unsigned: a holder recovering her keys has none to sign with (docs/protocol.md section 17). */
    FETCH_BACKUP("GET", "/v1/holders/{holderId}/backup"),
    EXPORT("GET", "/v1/holders/{holderId}/export"),
    PRINCIPAL("GET", "/v1/principals/{principalId}");

    /** A principal id (docs/protocol.md section 1). */
    static final Pattern PRINCIPAL_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    final String method;
    final String template;
    private final String[] segments;

    ApiRoute(String method, String template) {
        this.method = method;
        this.template = template;
        this.segments = template.substring(1).split("/");
    }

    /** A request's route and its path parameters. */
    record Match(ApiRoute route, Map<String, String> parameters) {
        String holderId() {
            return parameters.get("holderId");
        }
    }

    /**
     * The route of a request: empty when no route has this path; a {@link ApiError} 405 when routes have this path
     * but not this method.
     */
    static Optional<Match> match(String method, String path) {
        List<String> allowed = new ArrayList<>();
        for (ApiRoute route : values()) {
            Map<String, String> parameters = route.parameters(path);
            if (parameters == null) {
                continue;
            }
            if (route.method.equals(method)) {
                return Optional.of(new Match(route, parameters));
            }
            allowed.add(route.method);
        }
        if (!allowed.isEmpty()) {
            throw new MethodNotAllowed(allowed);
        }
        return Optional.empty();
    }

    private Map<String, String> parameters(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length != segments.length) {
            return null;
        }
        Map<String, String> parameters = new TreeMap<>();
        for (int i = 0; i < parts.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{")) {
                String name = segment.substring(1, segment.length() - 1);
                Pattern pattern = name.equals("credentialId") ? ITEM_ID : PRINCIPAL_ID;
                if (!pattern.matcher(parts[i]).matches()) {
                    return null;
                }
                parameters.put(name, parts[i]);
            } else if (!segment.equals(parts[i])) {
                return null;
            }
        }
        return parameters;
    }

    /** The path exists under other methods. */
    static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final List<String> allowed;

        MethodNotAllowed(List<String> allowed) {
            super("allowed: " + allowed, null, false, false);
            this.allowed = List.copyOf(allowed);
        }
    }
}
