package io.idstream.topics;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's ACLs, checked as the broker's authorizer matches them (a literal name, or a prefix): what the gateway
 * must do to serve holders is allowed, and every write a compromised gateway would want for forging trust is not;
 * the issuers' notice topics, which only their issuer reads and only the processors write; and the global directory of
 * issuers and consumers, which only the processors write and only they and the gateway read; and the generation topic,
 * which every principal of the holder-keyed topics reads and none writes.
 */
class AclPolicyTest {
    private static final String USER = "idstream-gateway";
    private static final String APPLICATION_ID = "idstream-gateway";

    private final TopicCatalog catalog = TopicCatalog.create(Map.of());
    private final AclPolicy policy = new AclPolicy(catalog);
    private final List<AclBinding> gateway = policy.gatewayBindings(USER, APPLICATION_ID);

    @Test
    void theGatewayReadsTheTopicsItServesHoldersFrom() {
        for (Topic<?, ?> served : List.of(catalog.directoryVerified(), catalog.credentialsStored(),
                catalog.holderInbox(), catalog.audit(), catalog.accessDecisions())) {
            assertThat(allows(ResourceType.TOPIC, served.name(), AclOperation.READ)).as("read " + served.name())
                    .isTrue();
            assertThat(allows(ResourceType.TOPIC, served.name(), AclOperation.DESCRIBE))
                    .as("describe " + served.name()).isTrue();
        }
    }

    @Test
    void theGatewayWritesRegistrationsAndDecisionsOnly() {
        assertThat(allows(ResourceType.TOPIC, catalog.directory().name(), AclOperation.WRITE)).isTrue();
        assertThat(allows(ResourceType.TOPIC, catalog.accessDecisions().name(), AclOperation.WRITE)).isTrue();

        for (String forged : List.of(catalog.directoryVerified().name(), catalog.credentialsIssued().name(),
                catalog.credentialsStored().name(), catalog.accessRequests().name(), catalog.holderInbox().name(),
                catalog.audit().name(), catalog.rejected().name(), catalog.deliveries("exchange-a").name())) {
            assertThat(allows(ResourceType.TOPIC, forged, AclOperation.WRITE)).as("write " + forged).isFalse();
        }
    }

    @Test
    void theGatewayNeverReadsInputsDeliveriesOrRejectedRecords() {
        for (String secret : List.of(catalog.directory().name(), catalog.credentialsIssued().name(),
                catalog.accessRequests().name(), catalog.rejected().name(), catalog.deliveries("exchange-a").name())) {
            assertThat(allows(ResourceType.TOPIC, secret, AclOperation.READ)).as("read " + secret).isFalse();
        }
    }

    @Test
    void itsStreamsApplicationOwnsItsGroupAndInternalTopicsAndNoOthers() {
        String changelog = APPLICATION_ID + "-holder-inbox-changelog";
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DELETE)) {
            assertThat(allows(ResourceType.TOPIC, changelog, operation)).as(operation + " " + changelog).isTrue();
        }
        assertThat(allows(ResourceType.GROUP, APPLICATION_ID, AclOperation.READ)).isTrue();
        assertThat(allows(ResourceType.CLUSTER, Resource.CLUSTER_NAME, AclOperation.IDEMPOTENT_WRITE)).isTrue();
        assertThat(allows(ResourceType.CLUSTER, Resource.CLUSTER_NAME, AclOperation.DESCRIBE_CONFIGS))
                .as("read the brokers' default.replication.factor").isTrue();
        assertThat(allows(ResourceType.TRANSACTIONAL_ID, APPLICATION_ID + "-5f1c-StreamThread-1", AclOperation.WRITE))
                .as("the transactions of its exactly-once producers").isTrue();

        assertThat(allows(ResourceType.GROUP, "idstream-processors", AclOperation.READ)).isFalse();
        assertThat(allows(ResourceType.TRANSACTIONAL_ID, "idstream-processors-5f1c-StreamThread-1",
                AclOperation.WRITE)).isFalse();
        assertThat(allows(ResourceType.TOPIC, "idstream-processors-store-changelog", AclOperation.READ)).isFalse();
        assertThat(allows(ResourceType.TOPIC, APPLICATION_ID + "x-changelog", AclOperation.CREATE))
                .as("another application whose id merely starts with the gateway's").isFalse();
        assertThat(allows(ResourceType.TOPIC, "idstream.directory.verified.copy", AclOperation.CREATE)).isFalse();
        assertThat(allows(ResourceType.CLUSTER, Resource.CLUSTER_NAME, AclOperation.CREATE)).isFalse();
        assertThat(allows(ResourceType.CLUSTER, Resource.CLUSTER_NAME, AclOperation.ALTER)).isFalse();
        assertThat(allows(ResourceType.CLUSTER, Resource.CLUSTER_NAME, AclOperation.ALTER_CONFIGS)).isFalse();
    }

    @Test
    void everyBindingAllowsTheGatewaysUserAlone() {
        assertThat(gateway).allSatisfy(binding -> {
            assertThat(binding.entry().principal()).isEqualTo("User:" + USER);
            assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(binding.entry().operation()).isNotEqualTo(AclOperation.ALL);
        });
    }

    @Test
    void theGatewayKeepsHoldersBackupsAndNothingElseOfThem() {
        String backups = catalog.holderBackups().name();
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
            assertThat(allows(ResourceType.TOPIC, backups, operation)).as(operation + " " + backups).isTrue();
        }
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER_CONFIGS)) {
            assertThat(allows(ResourceType.TOPIC, backups, operation)).as(operation + " " + backups).isFalse();
        }
        assertThat(allows(ResourceType.TOPIC, catalog.issuerNotices("kyc-co").name(), AclOperation.WRITE))
                .as("a forged notice to an issuer").isFalse();
    }

    @Test
    void anIssuerReadsItsOwnNoticeTopicInItsOwnGroupsAndNoOtherIssuers() {
        List<AclBinding> issuer = policy.bindingsFor("kyc-co", "issuer");
        String own = catalog.issuerNotices("kyc-co").name();
        assertThat(allows(issuer, ResourceType.TOPIC, own, AclOperation.READ)).as("read " + own).isTrue();
        assertThat(allows(issuer, ResourceType.TOPIC, own, AclOperation.DESCRIBE)).as("describe " + own).isTrue();
        assertThat(allows(issuer, ResourceType.GROUP, "kyc-co.notices", AclOperation.READ)).isTrue();

        assertThat(allows(issuer, ResourceType.TOPIC, own, AclOperation.WRITE)).as("write its own notices").isFalse();
        for (String others : List.of(catalog.issuerNotices("kyc-co-2").name(), catalog.issuerNotices("bank").name(),
                catalog.holderBackups().name())) {
            assertThat(allows(issuer, ResourceType.TOPIC, others, AclOperation.READ)).as("read " + others).isFalse();
        }
        assertThat(allows(issuer, ResourceType.GROUP, "kyc-co-2.notices", AclOperation.READ))
                .as("the groups of an issuer whose id starts with kyc-co").isFalse();
        assertThat(allows(policy.bindingsFor("exchange-a", "consumer"), ResourceType.TOPIC, own, AclOperation.READ))
                .as("a consumer reads an issuer's notices").isFalse();
    }

    @Test
    void noPrincipalButTheProcessorsReadsOrWritesTheGlobalDirectory() {
        String global = catalog.directoryGlobal().name();
        for (List<AclBinding> principal : List.of(policy.bindingsFor("kyc-co", "issuer"),
                policy.bindingsFor("exchange-a", "consumer"), gateway, policy.connectWorkerBindings("idstream-connect",
                        "idstream-connect", "idstream-connect-"))) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
                assertThat(allows(principal, ResourceType.TOPIC, global, operation))
                        .as(principal.get(0).entry().principal() + ": " + operation).isFalse();
            }
        }
    }

    @Test
    void everyPrincipalOfTheHolderKeyedTopicsReadsTheGenerationInUseAndNoneWritesIt() {
        String generations = catalog.generations().name();
        for (List<AclBinding> principal : List.of(policy.bindingsFor("kyc-co", "issuer"),
                policy.bindingsFor("exchange-a", "consumer"), gateway)) {
            String who = principal.get(0).entry().principal();
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                assertThat(allows(principal, ResourceType.TOPIC, generations, operation)).as(who + ": " + operation)
                        .isTrue();
            }
        }
        for (List<AclBinding> principal : List.of(policy.bindingsFor("kyc-co", "issuer"),
                policy.bindingsFor("exchange-a", "consumer"), gateway, policy.connectWorkerBindings("idstream-connect",
                        "idstream-connect", "idstream-connect-"))) {
            String who = principal.get(0).entry().principal();
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE,
                    AclOperation.ALTER_CONFIGS)) {
                assertThat(allows(principal, ResourceType.TOPIC, generations, operation)).as(who + ": " + operation)
                        .isFalse();
            }
        }
    }

    @Test
    void theGatewaysApplicationKeepsItsGroupInALaterGeneration() {
        String laterGroup = APPLICATION_ID + "-g1";

        assertThat(allows(ResourceType.GROUP, laterGroup, AclOperation.READ)).as("read group " + laterGroup).isTrue();
        assertThat(allows(ResourceType.TOPIC, laterGroup + "-holder-inbox-changelog", AclOperation.CREATE)).isTrue();
        assertThat(allows(ResourceType.TRANSACTIONAL_ID, laterGroup + "-5f1c-StreamThread-1", AclOperation.WRITE))
                .isTrue();
        assertThat(allows(ResourceType.GROUP, APPLICATION_ID + "x-g1", AclOperation.READ))
                .as("another application whose id merely starts with the gateway's").isFalse();
    }

    /** Whether a gateway binding allows the operation on the named resource. */
    private boolean allows(ResourceType type, String name, AclOperation operation) {
        return allows(gateway, type, name, operation);
    }

    /** Whether a binding allows the operation on the named resource, as the standard authorizer matches patterns. */
    private static boolean allows(List<AclBinding> bindings, ResourceType type, String name, AclOperation operation) {
        return bindings.stream().anyMatch(binding -> binding.entry().operation() == operation
                && matches(binding.pattern(), type, name));
    }

    private static boolean matches(ResourcePattern pattern, ResourceType type, String name) {
        if (pattern.resourceType() != type) {
            return false;
        }
        return pattern.patternType() == PatternType.PREFIXED ? name.startsWith(pattern.name())
                : pattern.patternType() == PatternType.LITERAL && pattern.name().equals(name);
    }
}
