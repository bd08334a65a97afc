package io.idstream.platform;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.gateway.views.GatewayStores;
import io.idstream.schemas.registry.RegistryTruststore;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.serde.WireFormat;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.avro.Schema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * On a secure platform only the operator may add a schema to the registry, so the operator registers up front the
 * schemas that other users' serializers look up: those of the catalogue's topics, and those of the gateway's store
 * changelogs. A principal's serializer then finds the schema of whatever it writes already there, and a write its
 * ACLs refuse is refused by Kafka, not by the registry.
 */
final class OperatorSchemas {
    private OperatorSchemas() {
    }

    static void registerCatalog(TopicCatalog catalog, String registryUrl, String operatorLogin, Path caCertificate) {
        SchemaRegistryClient client = client(registryUrl, operatorLogin, caCertificate);
        Map<Topic<?, ?>, Schema> schemas = Map.of(
                catalog.directory(), DirectoryEvent.getClassSchema(),
                catalog.directoryVerified(), VerifiedPrincipal.getClassSchema(),
                catalog.credentialsIssued(), IssuanceEvent.getClassSchema(),
                catalog.credentialsStored(), StoredCredential.getClassSchema(),
                catalog.accessRequests(), AccessRequest.getClassSchema(),
                catalog.accessDecisions(), DecisionEvent.getClassSchema(),
                catalog.holderInbox(), InboxEvent.getClassSchema(),
                catalog.audit(), AccessAudit.getClassSchema(),
                catalog.holderBackups(), HolderBackup.getClassSchema());
        schemas.forEach((topic, schema) -> client.register(WireFormat.subject(topic.name(), false), schema));
    }

    /**
     * The Avro values of the gateway's changelogged stores ({@link GatewayStores}), under the subjects its store
     * serdes look them up by: {@code <applicationId>-<store>-changelog-value}.
     */
    static void registerGatewayChangelogs(String applicationId, String registryUrl, String operatorLogin,
                                          Path caCertificate) {
        SchemaRegistryClient client = client(registryUrl, operatorLogin, caCertificate);
        Map<String, Schema> schemas = Map.of(
                GatewayStores.INBOX, PendingRequest.getClassSchema(),
                GatewayStores.CREDENTIALS, StoredCredential.getClassSchema(),
                GatewayStores.GRANTS, Grant.getClassSchema(),
                GatewayStores.AUDIT, AccessAudit.getClassSchema(),
                GatewayStores.WRITE_GRANTS, WriteGrant.getClassSchema(),
                GatewayStores.CONSENT_REQUESTS, ConsentRequest.getClassSchema(),
                GatewayStores.BACKUPS, HolderBackup.getClassSchema());
        schemas.forEach((store, schema) -> client.register(
                WireFormat.subject(applicationId + "-" + store + "-changelog", false), schema));
    }

    private static SchemaRegistryClient client(String registryUrl, String operatorLogin, Path caCertificate) {
        return new SchemaRegistryClient(registryUrl, Duration.ofSeconds(30), operatorLogin,
                RegistryTruststore.sslContext(caCertificate, "PEM", null));
    }
}
