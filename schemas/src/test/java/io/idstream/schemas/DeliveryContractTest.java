package io.idstream.schemas;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.GrantTerms;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md section 8 names the delivery's fields and Avro types; other implementations rely on them. */
class DeliveryContractTest {
    @Test
    void credentialDeliveryHasTheProtocolsFieldsAndTypes() {
        Map<String, String> fields = shapes(CredentialDelivery.getClassSchema());
        assertThat(fields).containsAllEntriesOf(Map.ofEntries(
                Map.entry("requestId", "string"), Map.entry("consumerId", "string"), Map.entry("holderId", "string"),
                Map.entry("issuerId", "string"), Map.entry("credentialId", "string"), Map.entry("type", "string"),
                Map.entry("issuedAt", "long"), Map.entry("expiresAt", "long"),
                Map.entry("commitments", "array<record{name:string,commitment:bytes}>"),
                Map.entry("disclosed", "array<record{name:string,ciphertext:bytes}>"),
                Map.entry("issuerSignature", "bytes"), Map.entry("grant", "record:GrantTerms"),
                Map.entry("deliveredAt", "long")));
    }

    @Test
    void grantTermsHaveTheProtocolsFieldsAndTypes() {
        assertThat(shapes(GrantTerms.getClassSchema())).containsAllEntriesOf(Map.ofEntries(
                Map.entry("grantId", "string"), Map.entry("requestId", "string"), Map.entry("purpose", "string"),
                Map.entry("issuedAt", "long"), Map.entry("fields", "array<string>"), Map.entry("notBefore", "long"),
                Map.entry("expiresAt", "long"), Map.entry("maxUses", "int"), Map.entry("keysEnc", "bytes"),
                Map.entry("keysCiphertext", "bytes"), Map.entry("holderSignature", "bytes")));
    }

    private static Map<String, String> shapes(Schema record) {
        Map<String, String> shapes = new LinkedHashMap<>();
        record.getFields().forEach(f -> shapes.put(f.name(), shape(f.schema(), false)));
        return shapes;
    }

    private static String shape(Schema schema, boolean inArray) {
        return switch (schema.getType()) {
            case ARRAY -> "array<" + shape(schema.getElementType(), true) + ">";
            case RECORD -> inArray
                    ? "record{" + String.join(",", schema.getFields().stream()
                            .map(f -> f.name() + ":" + shape(f.schema(), false)).toList()) + "}"
                    : "record:" + schema.getName();
            default -> schema.getType().getName();
        };
    }
}
