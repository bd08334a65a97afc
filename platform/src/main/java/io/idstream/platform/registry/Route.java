package io.idstream.platform.registry;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One line of the registry's route table: an HTTP method, a path pattern such as
 * {@code /subjects/{subject}/versions/{version}}, whether it changes the registry, and the handler that answers it.
 * A {@code {name}} segment matches any one segment and hands it to the handler as a path parameter.
 */
record Route(String method, List<String> pattern, boolean changes, Handler handler) {
    /** Answers one request whose path matched the route. */
    @FunctionalInterface
    interface Handler {
        RegistryResponse handle(RegistryRequest request) throws IOException;
    }

    /** A route that only reads, or (a register) decides itself what its caller may change. */
    static Route of(String method, String pattern, Handler handler) {
        return new Route(method, segments(pattern), false, handler);
    }

    /** A route that changes the registry: only a caller that may change reaches its handler. */
    static Route change(String method, String pattern, Handler handler) {
        return new Route(method, segments(pattern), true, handler);
    }

    private static List<String> segments(String pattern) {
        return Arrays.stream(pattern.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The path parameters, if {@code path} (decoded segments) has this route's shape. */
    Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != pattern.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < path.size(); i++) {
            String expected = pattern.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                parameters.put(expected.substring(1, expected.length() - 1), path.get(i));
            } else if (!expected.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
