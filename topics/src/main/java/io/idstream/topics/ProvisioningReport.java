package io.idstream.topics;

import java.util.List;
import java.util.Objects;

/**
 * What one provisioning run did: topics it created, topics already as specified, drift it found, and the replication
 * it resolved (which it created topics with, and which the Streams applications give their internal topics).
 */
public record ProvisioningReport(List<String> created, List<String> unchanged, List<TopicDrift> drift,
                                 Replication replication) {
    public ProvisioningReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        drift = List.copyOf(drift);
        Objects.requireNonNull(replication, "replication");
    }

    public boolean hasDrift() {
        return !drift.isEmpty();
    }
}
