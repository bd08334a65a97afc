package io.idstream.topics;

import java.util.List;

/** What one provisioning run did: topics it created, topics already as specified, and drift it found. */
public record ProvisioningReport(List<String> created, List<String> unchanged, List<TopicDrift> drift) {
    public ProvisioningReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        drift = List.copyOf(drift);
    }

    public boolean hasDrift() {
        return !drift.isEmpty();
    }
}
