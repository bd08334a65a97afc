package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.topics.TopicCatalog;

import java.util.Map;

/**
 * The platform's holder gateway. In secure mode its clients log in as {@link GatewayLogin#GATEWAY_USER}, with the
 * ACLs of {@link io.idstream.topics.AclPolicy#gatewayBindings}, never as the operator.
 */
final class PlatformGateway implements AutoCloseable {
    /** The gateway's Kafka Streams application id: its consumer group and the prefix of its internal topics. */
    static final String APPLICATION_ID = "idstream-gateway";

    private PlatformGateway() {
    }

    static PlatformGateway start(PlatformConfig config, EmbeddedKafka kafka, TopicCatalog catalog,
                                 Map<String, Object> catalogConfigs, boolean secure) {
        if (secure) {
            GatewayLogin.setUp(config.dataDir(), kafka.bootstrapServers(), kafka.clientConfigs(), catalog,
                    APPLICATION_ID);
        }
        return new PlatformGateway();
    }

    @Override
    public void close() {
    }
}
