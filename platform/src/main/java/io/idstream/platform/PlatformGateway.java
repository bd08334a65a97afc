package io.idstream.platform;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.gateway.GatewayConfig;
import io.idstream.platform.gateway.GatewayInstance;
import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StreamsResilience;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.TopicCatalog;

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
    /** The gateway's configured application id; a later generation's is suffixed with it. */
    static final String APPLICATION_ID =
            (String) GatewayConfig.DEFINITION.defaultValues().get(GatewayConfig.APPLICATION_ID);

    private PlatformGateway() {
    }

    /**
     * Starts the gateway of {@code catalog}'s generation: in secure mode its login is given the ACLs of that
     * generation's topics and application id ({@link ProcessorsConfig#generationApplicationId}), whose group is a
     * literal name. It listens at {@code port}, 0 for any free one.
     */
    static GatewayInstance start(PlatformConfig config, int port, PlatformKafka kafka, TopicCatalog catalog,
                                 Map<String, Object> catalogConfigs, SigningKeyPair operatorKey,
                                 EmbeddedKafka.Security security) {
        Map<String, Object> settings = new HashMap<>(catalogConfigs);
        settings.keySet().removeIf(key -> key.startsWith("idstream.") && !key.startsWith("idstream.topic."));
        String applicationId = ProcessorsConfig.generationApplicationId(APPLICATION_ID,
                catalog.generation().number());
        if (security == null) {
            settings.putAll(kafka.clientConfigs());
        } else {
            settings.putAll(GatewayLogin.setUp(config.dataDir(), kafka.bootstrapServers(), kafka.clientConfigs(),
                    catalog, applicationId));
            OperatorSchemas.registerGatewayChangelogs(applicationId,
                    (String) catalogConfigs.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL),
                    (String) catalogConfigs.get(AvroSerdeConfig.BASIC_AUTH_USER_INFO), security.tls().caCertificate());
            settings.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, GatewayLogin.registryLogin(config.dataDir()));
        }
        settings.put(GatewayConfig.APPLICATION_ID, APPLICATION_ID);
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(GatewayConfig.STATE_DIR, config.dataDir().resolve("gateway").toString());
        settings.put(GatewayConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operatorKey.publicKey()));
        settings.put(GatewayConfig.LISTEN_HOST, "127.0.0.1");
        settings.put(GatewayConfig.PORT, port);
        // One instance in this process: a standby has nowhere to go, and Streams would warn so for every task.
        settings.put(StreamsResilience.NUM_STANDBY_REPLICAS, 0);
        return GatewayInstance.start(new GatewayConfig(settings), READY_TIMEOUT);
    }
}
