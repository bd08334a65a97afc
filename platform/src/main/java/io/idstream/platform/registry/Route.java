package io.idstream.platform.registry;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One line of the registry's route table: an HTTP method, a path pattern such as
 * {@code /subjects/{subject}/versions/{version}}, and the handler that answers it. A {@code {name}} segment matches
 * any one segment and hands it to the handler as a path parameter.
 */
record Route(String method, List<String> pattern, Handler handler) {
    /** Answers one request whose path matched the route. */
    @FunctionalInterface
    interface Handler {
        RegistryResponse handle(RegistryRequest request) throws IOException;
    }

    static Route of(String method, String pattern, Handler handler) {
        List<String> segments = Arrays.stream(pattern.split("/")).filter(s -> !s.isEmpty()).toList();
        return new Route(method, segments, handler);
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
