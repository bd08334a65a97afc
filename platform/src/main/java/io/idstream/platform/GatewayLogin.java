package io.idstream.platform;

import io.idstream.topics.AclPolicy;
import io.idstream.topics.TopicCatalog;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The secure platform's holder gateway logs in to Kafka, and to the schema registry, as a user of its own,
 * {@value #GATEWAY_USER}, never as the operator's super user: a gateway faces the internet, so what its login may do
 * is what a compromised gateway could do. Its ACLs ({@link AclPolicy#gatewayBindings}) let it read the holder-facing
 * topics and write holders' registrations and decisions, which the processors check again; the verified directory,
 * issuance, requests and deliveries stay out of its reach. Its password is kept, mode 600, in
 * {@code <data dir>/secrets/gateway.properties} ({@link ServiceLogin}).
 */
public final class GatewayLogin {
    public static final String GATEWAY_USER = "idstream-gateway";
    private static final ServiceLogin LOGIN = new ServiceLogin(GATEWAY_USER, "gateway", "the gateway");

    private GatewayLogin() {
    }

    public static Path file(Path dataDir) {
        return LOGIN.file(dataDir);
    }

    /**
     * Makes or reads the gateway's login, grants its ACLs for the Kafka Streams application {@code applicationId}
     * and sets its credential with the operator's client settings, and returns the Kafka client settings the
     * gateway connects with: the platform's, logged in as {@value #GATEWAY_USER}. It may also read
     * {@code <prefix>.generation}, where it finds the generation of the holder-keyed topics to serve.
     */
    static Map<String, Object> setUp(Path dataDir, String bootstrapServers, Map<String, Object> operatorConfigs,
                                     TopicCatalog catalog, String applicationId) {
        List<AclBinding> bindings = new ArrayList<>(new AclPolicy(catalog).gatewayBindings(GATEWAY_USER,
                applicationId));
        ResourcePattern generations = new ResourcePattern(ResourceType.TOPIC, catalog.generations().name(),
                PatternType.LITERAL);
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
            bindings.add(new AclBinding(generations, new AccessControlEntry("User:" + GATEWAY_USER, "*", operation,
                    AclPermissionType.ALLOW)));
        }
        return LOGIN.setUp(dataDir, bootstrapServers, operatorConfigs, bindings);
    }

    /** The gateway's registry login, {@code user:password}, for Confluent's {@code basic.auth.user.info}. */
    static String registryLogin(Path dataDir) {
        return GATEWAY_USER + ":" + LOGIN.loadOrCreatePassword(dataDir);
    }
}
