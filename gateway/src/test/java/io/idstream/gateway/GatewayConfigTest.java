package io.idstream.gateway;

import io.idstream.gateway.http.GatewayLimits;
import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(120)
class GatewayConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, "broker-1:9093");
        settings.put("schema.registry.url", "https://registry:8081");
        return settings;
    }

    @Test
    void otherInstancesAreToldTheAdvertisedHostAndThePortTheServerBound() {
        Map<String, Object> settings = minimal();
        settings.put(GatewayConfig.LISTEN_HOST, "0.0.0.0");
        settings.put(GatewayConfig.ADVERTISED_HOST, "gateway-2.internal");
        settings.put(GatewayConfig.PORT, 0);

        Properties props = new GatewayConfig(settings).streamsProperties(41234, Replication.of((short) 3));

        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("gateway-2.internal:41234");
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("idstream-gateway");
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    }

    /** A later generation's views are a new application: a new group, changelogs and state directories. */
    @Test
    void aLaterGenerationOfTheTopicsRunsUnderTheApplicationIdSuffixedWithIt() {
        Map<String, Object> settings = minimal();
        settings.put(TopicCatalogConfig.GENERATION, 2);
        settings.put(TopicCatalogConfig.PARTITIONS, 24);

        GatewayConfig config = new GatewayConfig(settings);

        assertThat(config.streamsProperties(8090, Replication.of((short) 1)).get(StreamsConfig.APPLICATION_ID_CONFIG))
                .isEqualTo("idstream-gateway-g2");
        assertThat(config.partitions()).isEqualTo(24);
    }

    @Test
    void withoutAnAdvertisedHostTheListenHostIsAdvertised() {
        Map<String, Object> settings = minimal();
        settings.put(GatewayConfig.LISTEN_HOST, "10.0.0.7");

        GatewayConfig config = new GatewayConfig(settings);

        assertThat(config.streamsProperties(8090, Replication.of((short) 1)).get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("10.0.0.7:8090");
        assertThat(new GatewayConfig(minimal()).advertisedHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theClustersSecuritySettingsReachStreamsAndClientsButTheGatewaysOwnDoNot() {
        Map<String, Object> settings = minimal();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("ssl.truststore.location", "/etc/idstream/ca.pem");

        GatewayConfig config = new GatewayConfig(settings);
        Properties streams = config.streamsProperties(8090, Replication.of((short) 1));
        Map<String, Object> client = config.clientConfigs();

        Map<Object, Object> streamsSettings = new HashMap<>(streams);
        for (Map<Object, Object> passed : List.of(streamsSettings, new HashMap<Object, Object>(client))) {
            assertThat(passed).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.location", "/etc/idstream/ca.pem")
                    .doesNotContainKeys(GatewayConfig.PORT, GatewayConfig.LISTEN_HOST);
        }
        assertThat(client).containsEntry(GatewayConfig.BOOTSTRAP_SERVERS, "broker-1:9093")
                .doesNotContainKey(StreamsConfig.APPLICATION_ID_CONFIG);
        assertThat(config.catalogConfigs()).containsEntry("schema.registry.url", "https://registry:8081");
    }

    @Test
    void theGatewayFailsOverLikeTheProcessorsAndItsChangelogsAreReplicatedAsResolved() {
        Map<String, Object> settings = minimal();
        settings.put(ConsumerConfig.CLIENT_RACK_CONFIG, "eu-west-1b");

        StreamsConfig streams = new StreamsConfig(new GatewayConfig(settings).streamsProperties(8090,
                Replication.of((short) 3)));

        assertThat(streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(streams.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).containsEntry("min.insync.replicas", "2");
        assertThat(streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(streams.getMainConsumerConfigs("idstream-gateway", "client", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.CLIENT_RACK_CONFIG, "eu-west-1b");
    }

    @Test
    void anAcksSettingBelowAllIsRefusedByName() {
        Map<String, Object> settings = minimal();
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        GatewayConfig config = new GatewayConfig(settings);

        assertThatThrownBy(() -> config.streamsProperties(8090, Replication.of((short) 3)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("for configuration acks:");
    }

    @Test
    void theRegistrationPaceIsASettingWithTheDefaultsOfTheLimits() {
        Map<String, Object> settings = minimal();
        settings.put(GatewayConfig.REGISTRATIONS_PER_ADDRESS, 500);

        GatewayLimits configured = new GatewayConfig(settings).limits();
        GatewayLimits byDefault = new GatewayConfig(minimal()).limits();

        assertThat(configured.registrationsPerAddressPerMinute()).isEqualTo(500);
        assertThat(configured.registrationsPerMinute()).isEqualTo(100);
        assertThat(byDefault.registrationsPerAddressPerMinute()).isEqualTo(10);
    }

    @Test
    void anOperatorKeyThatIsNotHexIsRefusedByName() {
        Map<String, Object> settings = minimal();
        settings.put(GatewayConfig.OPERATOR_KEYS, "not-a-key");

        assertThatThrownBy(() -> new GatewayConfig(settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(GatewayConfig.OPERATOR_KEYS).hasMessageContaining("not hex");
    }
}
