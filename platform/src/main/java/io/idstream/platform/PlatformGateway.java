package io.idstream.platform;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.GatewayStores;
import io.idstream.platform.gateway.GatewayInstance;
import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.schemas.registry.RegistryTruststore;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.WireFormat;
import io.idstream.topics.TopicCatalog;
import org.apache.avro.Schema;

import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Starts the platform's holder gateway on 127.0.0.1, its state under {@code <data dir>/gateway}, trusting the
 * platform's operator key. In secure mode its clients log in as {@link GatewayLogin#GATEWAY_USER} (Kafka and the
 * registry), with the platform's TLS settings, never as the operator; the operator registers up front the schemas
 * of the gateway's store changelogs, since on a secure registry only the operator may add one.
 */
final class PlatformGateway {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private PlatformGateway() {
    }

    static GatewayInstance start(PlatformConfig config, EmbeddedKafka kafka, TopicCatalog catalog,
                                 Map<String, Object> catalogConfigs, SigningKeyPair operatorKey,
                                 EmbeddedKafka.Security security) {
        Map<String, Object> settings = new HashMap<>(catalogConfigs);
        settings.keySet().removeIf(key -> key.startsWith("idstream.") && !key.startsWith("idstream.topic."));
        String applicationId = (String) GatewayConfig.DEFINITION.defaultValues().get(GatewayConfig.APPLICATION_ID);
        if (security == null) {
            settings.putAll(kafka.clientConfigs());
        } else {
            settings.putAll(GatewayLogin.setUp(config.dataDir(), kafka.bootstrapServers(), kafka.clientConfigs(),
                    catalog, applicationId));
            registerChangelogSchemas(applicationId, (String) catalogConfigs.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL),
                    (String) catalogConfigs.get(AvroSerdeConfig.BASIC_AUTH_USER_INFO), security);
            settings.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, GatewayLogin.registryLogin(config.dataDir()));
        }
        settings.put(GatewayConfig.APPLICATION_ID, applicationId);
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(GatewayConfig.STATE_DIR, config.dataDir().resolve("gateway").toString());
        settings.put(GatewayConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operatorKey.publicKey()));
        settings.put(GatewayConfig.LISTEN_HOST, "127.0.0.1");
        settings.put(GatewayConfig.PORT, config.gatewayPort());
        return GatewayInstance.start(new GatewayConfig(settings), READY_TIMEOUT);
    }

    /** The Avro values of the gateway's changelogged stores, under the subjects its store serdes look them up by. */
    private static void registerChangelogSchemas(String applicationId, String registryUrl, String operatorLogin,
                                                 EmbeddedKafka.Security security) {
        SchemaRegistryClient client = new SchemaRegistryClient(registryUrl, Duration.ofSeconds(30), operatorLogin,
                RegistryTruststore.sslContext(security.tls().caCertificate(), "PEM", null));
        Map<String, Schema> schemas = Map.of(
                GatewayStores.INBOX, PendingRequest.getClassSchema(),
                GatewayStores.CREDENTIALS, StoredCredential.getClassSchema(),
                GatewayStores.GRANTS, Grant.getClassSchema(),
                GatewayStores.AUDIT, AccessAudit.getClassSchema());
        schemas.forEach((store, schema) -> client.register(
                WireFormat.subject(applicationId + "-" + store + "-changelog", false), schema));
    }
}
