package io.idstream.schemas.serde;

import io.idstream.avro.AccessRequest;
import io.idstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatTest {
    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(WireFormat.subject("idstream.audit", false)).isEqualTo("idstream.audit-value");
        assertThat(WireFormat.subject("idstream.audit", true)).isEqualTo("idstream.audit-key");
    }

    @Test
    void headerIsMagicByteThenBigEndianId() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2, 42});
        assertThat(WireFormat.readSchemaId("t", buffer)).isEqualTo(258);
        assertThat(buffer.remaining()).isEqualTo(1);
    }

    @Test
    void deserializerRefusesBytesThatAreNotTheWireFormat() {
        // The registry is never asked: the header alone shows these are not ours.
        SpecificAvroDeserializer<AccessRequest> deserializer =
                new SpecificAvroDeserializer<>(AccessRequest.class, new SchemaRegistryClient("http://127.0.0.1:9"));
        assertThatThrownBy(() -> deserializer.deserialize("idstream.access.requests", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("idstream.access.requests").hasMessageContaining("0x01")
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize("idstream.access.requests", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("shorter than the 5-byte");
        assertThat(deserializer.deserialize("idstream.access.requests", null)).isNull();
    }

    @Test
    void serdeConfigNamesAMissingOrBadRegistryUrl() {
        SpecificAvroSerde<AccessRequest> serde = new SpecificAvroSerde<>(AccessRequest.class);
        assertThatThrownBy(() -> serde.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> serde.configure(Map.of("schema.registry.url", "ftp://registry"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url")
                .hasMessageContaining("http://");
    }

    @Test
    void unreachableRegistryFailsSerializationWithTheSubjectAndUrl() {
        SpecificAvroSerializer<AccessRequest> serializer = new SpecificAvroSerializer<>(AccessRequest.class);
        serializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:9",
                "schema.registry.request.timeout.ms", 2000), false);
        AccessRequest request = AccessRequest.newBuilder().setRequestId("r").setConsumerId("c").setHolderId("h")
                .setCredentialType("kyc").setCredentialId("").setPurpose("p").setCreatedAt(1L)
                .setFields(List.of("country")).setSignature(ByteBuffer.allocate(64)).build();
        assertThatThrownBy(() -> serializer.serialize("idstream.access.requests", request))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("idstream.access.requests-value")
                .hasMessageContaining("http://127.0.0.1:9");
    }
}
