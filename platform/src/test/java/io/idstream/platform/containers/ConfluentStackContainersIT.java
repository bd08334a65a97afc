package io.idstream.platform.containers;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.registry.SchemaRegistryException;
import io.idstream.schemas.serde.SpecificAvroDeserializer;
import io.idstream.schemas.serde.SpecificAvroSerializer;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicProvisioner;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same checks as the embedded ITs, against the operators' stack: Apache Kafka's own image and Confluent Schema
 * Registry. Skipped, and reported as skipped, where no Docker engine is reachable; {@code TopicProvisionerIT},
 * {@code AvroSerdeIT} and {@code SchemaRegistryContractIT} prove the same behaviour without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(300)
class ConfluentStackContainersIT {
    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
            .withNetwork(NETWORK)
            .withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY =
            new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:7.9.1"))
                    .withNetwork(NETWORK)
                    .withExposedPorts(8081)
                    .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                    .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                    .dependsOn(KAFKA)
                    .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));

    @AfterAll
    static void closeNetwork() {
        NETWORK.close();
    }

    static String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
    }

    @Test
    void provisionerIsIdempotentOnApacheKafka() {
        TopicCatalog catalog = TopicCatalog.create(Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.getBootstrapServers()))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(60));
            ProvisioningReport first = provisioner.provision(catalog.platformTopics());
            ProvisioningReport second = provisioner.provision(catalog.platformTopics());
            assertThat(first.created()).contains("idstream.access.requests");
            assertThat(second.created()).isEmpty();
            assertThat(second.drift()).isEmpty();
        }
    }

    @Test
    void serdeRoundTripsThroughConfluentSchemaRegistry() {
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl());
        SpecificAvroSerializer<AccessAudit> serializer = new SpecificAvroSerializer<>(AccessAudit.class);
        serializer.configure(serdeConfig, false);
        SpecificAvroDeserializer<AccessAudit> deserializer = new SpecificAvroDeserializer<>(AccessAudit.class);
        deserializer.configure(serdeConfig, false);
        AccessAudit audit = AccessAudit.newBuilder().setHolderId("alice").setConsumerId("exchange-a")
                .setCredentialId("c").setRequestId("r").setGrantId("g").setFields(List.of("country"))
                .setPurpose("onboarding").setOutcome(AuditOutcome.DELIVERED).setAt(1L).build();

        byte[] bytes = serializer.serialize("idstream.audit", audit);

        int registered = new SchemaRegistryClient(registryUrl()).version("idstream.audit-value", "latest").id();
        ByteBuffer header = ByteBuffer.wrap(bytes);
        assertThat(header.get()).isEqualTo((byte) 0);
        assertThat(header.getInt()).isEqualTo(registered);
        assertThat(deserializer.deserialize("idstream.audit", bytes)).isEqualTo(audit);
    }

    @Test
    void confluentRegistryRefusesAnIncompatibleSchemaWith409() {
        SchemaRegistryClient client = new SchemaRegistryClient(registryUrl());
        client.register("containers-compat-value", SchemaBuilder.record("User").fields()
                .requiredString("name").endRecord());
        assertThatThrownBy(() -> client.register("containers-compat-value", SchemaBuilder.record("User").fields()
                .requiredString("name").requiredString("email").endRecord()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(409));
    }
}
