package io.idstream.topics;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may touch which topic, derived from the catalogue. A principal's Kafka user is its principal id. Every
 * principal may register (write the raw directory) and read the verified directory; an issuer may also write
 * issuance and read only its own notice topic; a consumer may write requests and read only its own delivery topic;
 * each reads in consumer groups named {@code <principalId>.<anything>} (principal ids have no dot, so no principal's
 * prefix covers another's groups).
 * Nobody else reads the raw input topics, the changelogs or the holder-facing topics: the processors and the
 * operator's service principal (which carries holders' signed decisions) are super users. The Connect worker has a
 * principal of its own that reads delivery topics only; the holder gateway has one that reads the holder-facing
 * topics and writes holders' registrations and decisions, and keeps their sealed key backups. No principal but the
 * processors reads or writes {@code <prefix>.directory.global}, the directory of issuers and consumers they load: one
 * that could write it could add an issuer of its own making to what every task trusts (docs/protocol.md section 10).
 * Every principal that reads or writes a holder-keyed topic reads {@code <prefix>.generation}, which names the
 * generation of those topics in use, and none but the operator writes it: one that could would send every client to
 * topics of its choosing. The ACLs of a generation's topics are on their literal names, so the tool that makes a new
 * generation gives each new topic the bindings of its twin in the old one.
 */
public final class AclPolicy {
    /** Connect names a sink connector's consumer group {@code connect-<connector name>}. */
    public static final String SINK_GROUP_PREFIX = "connect-";

    private final TopicCatalog catalog;

    public AclPolicy(TopicCatalog catalog) {
        this.catalog = catalog;
    }

    /** The ACLs of one principal in one role ({@code issuer} or {@code consumer}). */
    public List<AclBinding> bindingsFor(String principalId, String role) {
        String user = "User:" + principalId;
        List<AclBinding> bindings = new ArrayList<>();
        allow(bindings, user, topic(catalog.directory().name()), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(bindings, user, topic(catalog.directoryVerified().name()), AclOperation.READ, AclOperation.DESCRIBE);
        allow(bindings, user, topic(catalog.generations().name()), AclOperation.READ, AclOperation.DESCRIBE);
        switch (role) {
            case "issuer" -> {
                allow(bindings, user, topic(catalog.credentialsIssued().name()), AclOperation.WRITE,
                        AclOperation.DESCRIBE);
                allow(bindings, user, topic(catalog.issuerNotices(principalId).name()), AclOperation.READ,
                        AclOperation.DESCRIBE);
                allow(bindings, user, new ResourcePattern(ResourceType.GROUP, groupPrefix(principalId),
                        PatternType.PREFIXED), AclOperation.READ);
            }
            case "consumer" -> {
                allow(bindings, user, topic(catalog.accessRequests().name()), AclOperation.WRITE,
                        AclOperation.DESCRIBE);
                allow(bindings, user, topic(catalog.deliveries(principalId).name()), AclOperation.READ,
                        AclOperation.DESCRIBE);
                allow(bindings, user, new ResourcePattern(ResourceType.GROUP, groupPrefix(principalId),
                        PatternType.PREFIXED), AclOperation.READ);
            }
            default -> throw new IllegalArgumentException("role " + role + " has no Kafka principal: holders act "
                    + "through the operator's service principal");
        }
        return bindings;
    }

    /**
     * The ACLs of a secure platform's Connect worker, so that it and its webhook sinks run without the operator's
     * super user: its internal topics, and dead-letter topics, all named with {@code workerTopicPrefix} (read, write,
     * create); its own group {@code workerGroupId} and the sink connectors' groups {@code connect-<name>}; and read on
     * the consumers' delivery topics, the only topics a webhook sink POSTs from. Nothing else: not the directory,
     * not the inputs, not the holder-facing topics.
     */
    public List<AclBinding> connectWorkerBindings(String user, String workerGroupId, String workerTopicPrefix) {
        String principal = "User:" + user;
        List<AclBinding> bindings = new ArrayList<>();
        allow(bindings, principal, new ResourcePattern(ResourceType.TOPIC, workerTopicPrefix, PatternType.PREFIXED),
                AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, workerGroupId, PatternType.LITERAL),
                AclOperation.READ, AclOperation.DESCRIBE);
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, SINK_GROUP_PREFIX, PatternType.PREFIXED),
                AclOperation.READ, AclOperation.DESCRIBE);
        allow(bindings, principal, new ResourcePattern(ResourceType.TOPIC, catalog.deliveriesPrefix(),
                PatternType.PREFIXED), AclOperation.READ, AclOperation.DESCRIBE);
        return bindings;
    }

    /**
     * The ACLs of the holder gateway's own Kafka user, so that it serves holders without the operator's super user.
     * It reads the generation of the holder-keyed topics in use, and what it serves (the verified directory, stored
     * credentials, the holder inbox, the audit trail and the decisions, from which it keeps grants) and writes what
     * holders send through it: registrations to the directory and signed decisions to the decisions topic; and it
     * reads and writes holders' sealed key backups, which it stores for the holder that signed and hands back unsigned
     * to one recovering. Its Kafka Streams application {@code applicationId} (or {@code <applicationId>-g<G>} in a
     * later generation)
     * gets its consumer group, its internal topics {@code <applicationId>-…}, the transactions of its exactly-once
     * producers ({@code <applicationId>-…}) and idempotent writes on the cluster; and reading the brokers' configs,
     * where it finds the {@code default.replication.factor} its internal topics take.
     * Nothing else: the processors alone write the verified directory, and the gateway never sees issuance,
     * requests, deliveries or rejected records.
     */
    public List<AclBinding> gatewayBindings(String user, String applicationId) {
        String principal = "User:" + user;
        List<AclBinding> bindings = new ArrayList<>();
        for (Topic<?, ?> read : List.of(catalog.generations(), catalog.directoryVerified(),
                catalog.credentialsStored(), catalog.holderInbox(), catalog.audit(), catalog.accessDecisions())) {
            allow(bindings, principal, topic(read.name()), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(bindings, principal, topic(catalog.directory().name()), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(bindings, principal, topic(catalog.accessDecisions().name()), AclOperation.WRITE);
        allow(bindings, principal, topic(catalog.holderBackups().name()), AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.LITERAL),
                AclOperation.READ, AclOperation.DESCRIBE);
        // After a partition growth the application runs as <applicationId>-g<generation>: its internal topics and
        // transactions are under the prefix below already, its group is not.
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, applicationId + "-g", PatternType.PREFIXED),
                AclOperation.READ, AclOperation.DESCRIBE);
        allow(bindings, principal, new ResourcePattern(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED),
                AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.DELETE);
        // Exactly-once: Streams names its producers' transactions <applicationId>-<process id>-<thread>.
        allow(bindings, principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, applicationId + "-",
                PatternType.PREFIXED), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(bindings, principal, new ResourcePattern(ResourceType.CLUSTER, Resource.CLUSTER_NAME,
                PatternType.LITERAL), AclOperation.IDEMPOTENT_WRITE, AclOperation.DESCRIBE_CONFIGS);
        return bindings;
    }

    /** The prefix of the consumer groups a consumer or an issuer may use. */
    public static String groupPrefix(String consumerId) {
        return consumerId + ".";
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static void allow(List<AclBinding> bindings, String user, ResourcePattern pattern,
                              AclOperation... operations) {
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry(user, "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }
}
