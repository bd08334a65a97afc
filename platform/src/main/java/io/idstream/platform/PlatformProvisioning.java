package io.idstream.platform;

import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's topics made at start, in the generation of the holder-keyed topics in use: an older generation's
 * topics, which a growth fenced and an operator may have deleted, must not come back unfenced.
 */
record PlatformProvisioning(TopicCatalog catalog, ProvisioningReport report) {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Provisions the generation topic, reads the generation in use from it, and provisions that one's catalogue. */
    static PlatformProvisioning provision(Map<String, Object> originals, Map<String, Object> adminConfigs) {
        try (Admin admin = Admin.create(adminConfigs)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, TIMEOUT);
            provisioner.provision(List.of(TopicCatalog.create(originals).generations()));
            Map<String, Object> resolving = new HashMap<>(originals);
            resolving.putAll(adminConfigs);
            TopicCatalog catalog = TopicCatalog.create(TopicGenerations.withGeneration(originals,
                    TopicGenerations.current(resolving, TIMEOUT)));
            return new PlatformProvisioning(catalog, provisioner.provision(catalog.platformTopics()));
        }
    }
}
