package io.idstream.topics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Principal ids no principal may take (docs/protocol.md section 1). A principal's id is its Kafka user and the prefix
 * of its consumer groups ({@link AclPolicy}), so a principal named like one of the platform's own users would be
 * given that user's login, and one named like a Connect sink's group would share the Connect worker's groups.
 */
public final class ReservedPrincipalIds {
    /** Each reserved prefix, and whose names start with it. */
    private static final List<Map.Entry<String, String>> PREFIXES = List.of(
            Map.entry("idstream-", "the platform's own Kafka users, such as its super user and its Connect worker"),
            Map.entry(AclPolicy.SINK_GROUP_PREFIX, "the Connect worker's consumer groups"));

    private ReservedPrincipalIds() {
    }

    /** Why {@code id} may not be registered or given a Kafka user, if it is reserved. */
    public static Optional<String> refusal(String id) {
        return PREFIXES.stream()
                .filter(prefix -> id.startsWith(prefix.getKey()))
                .map(prefix -> "id '" + id + "' is reserved: ids starting with '" + prefix.getKey() + "' name "
                        + prefix.getValue())
                .findFirst();
    }
}
