package io.idstream.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.Revocation;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(classes = {PendingRequest.class, StoredCredential.class, Grant.class, Denial.class,
            Revocation.class, Erasure.class, DecisionEvent.class, AccessAudit.class, VerifiedPrincipal.class,
            Principal.class})
    void everyRecordOnTheApiReadsBackAsTheSameRecord(Class<? extends SpecificRecord> type) throws Exception {
        SpecificRecord record = SampleRecords.filled(type);

        ObjectNode json = AvroJson.toJson(record);
        SpecificRecord read = AvroJson.fromJson(MAPPER.readTree(json.toString()), type);

        assertThat(read).isEqualTo(record);
        assertThat(AvroJson.toJson(read)).isEqualTo(json);
    }

    @Test
    void aDenialHasItsPinnedJsonFormWithBytesAsUnpaddedBase64url() {
        Denial denial = new Denial("req-1", "alice", 1_700_000_000_123L, ByteBuffer.wrap(new byte[]{(byte) 0xfb,
                (byte) 0xff, 0x3e, 0x01}));

        assertThat(AvroJson.toJson(denial).toString()).isEqualTo(
                "{\"requestId\":\"req-1\",\"holderId\":\"alice\",\"decidedAt\":1700000000123,\"signature\":\"-_8-AQ\"}");
    }

    @Test
    void aRecordChosenInAUnionCarriesItsTypeFirstAndIsReadBackByIt() throws Exception {
        DecisionEvent event = new DecisionEvent(new Revocation("grant-1", "alice", 5L, ByteBuffer.wrap(new byte[]{1})));

        ObjectNode json = AvroJson.toJson(event);

        assertThat(json.get("decision").fieldNames().next()).isEqualTo("type");
        assertThat(json.get("decision").get("type").asText()).isEqualTo("Revocation");
        assertThat(AvroJson.fromJson(json, DecisionEvent.class).getDecision()).isInstanceOf(Revocation.class);
        ObjectNode asErasure = json.deepCopy();
        ((ObjectNode) asErasure.get("decision")).put("type", "Erasure");
        assertThatThrownBy(() -> AvroJson.fromJson(asErasure, DecisionEvent.class))
                .as("an Erasure has no grantId").hasMessage("decision.grantId: unknown member");
        ((ObjectNode) asErasure.get("decision")).put("type", "Principal");
        assertThatThrownBy(() -> AvroJson.fromJson(asErasure, DecisionEvent.class))
                .hasMessage("decision.type: expected one of [Grant, Denial, Revocation, Erasure, WriteGrant, "
                        + "WriteGrantRevocation, CredentialRekeyed]");
        ((ObjectNode) asErasure.get("decision")).remove("type");
        assertThatThrownBy(() -> AvroJson.fromJson(asErasure, DecisionEvent.class))
                .hasMessageStartingWith("decision.type: expected one of");
    }

    @Test
    void aUnionWithNullIsNullOrTheValueAndAMissingMemberTakesItsDefault() throws Exception {
        VerifiedPrincipal verified = VerifiedPrincipal.newBuilder(SampleRecords.filled(VerifiedPrincipal.class))
                .setAccreditation(null).build();
        ObjectNode json = AvroJson.toJson(verified);

        assertThat(json.get("accreditation").isNull()).isTrue();
        assertThat(json.get("withdrawal").isObject()).isTrue();
        json.remove("latestAccreditedAt");
        json.remove("withdrawal");
        VerifiedPrincipal read = AvroJson.fromJson(json, VerifiedPrincipal.class);
        assertThat(read.getLatestAccreditedAt()).isZero();
        assertThat(read.getWithdrawal()).isNull();
        assertThat(read.getPrincipal()).isEqualTo(verified.getPrincipal());
    }

    @Test
    void parsingRefusesAnythingTheSchemaDoesNotSayAndNamesTheMember() throws Exception {
        JsonNode grant = AvroJson.toJson(new DecisionEvent(SampleRecords.filled(Grant.class)));

        assertRefused(grant, "decision", d -> d.put("extra", 1), "decision.extra: unknown member");
        assertRefused(grant, "decision", d -> d.remove("signature"), "decision.signature: missing");
        assertRefused(grant, "decision", d -> d.put("maxUses", "3"), "decision.maxUses: expected a 32-bit integer");
        assertRefused(grant, "decision", d -> d.put("maxUses", 1L << 40), "decision.maxUses: expected a 32-bit integer");
        assertRefused(grant, "decision", d -> d.put("maxUses", 1.5), "decision.maxUses: expected a 32-bit integer");
        assertRefused(grant, "decision", d -> d.put("expiresAt", 1.0), "decision.expiresAt: expected a 64-bit integer");
        assertRefused(grant, "decision", d -> d.put("purpose", 7), "decision.purpose: expected a string");
        assertRefused(grant, "decision", d -> d.put("signature", "AQ=="),
                "decision.signature: expected base64url without padding");
        assertRefused(grant, "decision", d -> d.put("signature", "a+b/"), "decision.signature: expected base64url text");
        assertRefused(grant, "decision", d -> ((ArrayNode) d.get("fields")).add(3),
                "decision.fields[2]: expected a string");
        assertRefused(grant, "decision", d -> d.putNull("holderId"), "decision.holderId: expected a string");
        assertThatThrownBy(() -> AvroJson.fromJson(MAPPER.readTree("[]"), DecisionEvent.class))
                .hasMessage("the body: expected an object");
        assertThatThrownBy(() -> AvroJson.fromJson(MAPPER.readTree("{\"decision\":null}"), DecisionEvent.class))
                .hasMessage("decision: expected a value, not null");

        ObjectNode stored = AvroJson.toJson(SampleRecords.filled(StoredCredential.class));
        stored.put("status", "SUSPENDED");
        assertThatThrownBy(() -> AvroJson.fromJson(stored, StoredCredential.class))
                .hasMessage("status: expected one of [UNKNOWN, ACTIVE, REVOKED]");
    }

    @Test
    void aRefusalNeverRepeatsTheValueItRefused() {
        ObjectNode principal = AvroJson.toJson(SampleRecords.filled(Principal.class));
        principal.put("registeredAt", "secret-looking-value");

        assertThatThrownBy(() -> AvroJson.fromJson(principal, Principal.class))
                .hasMessage("registeredAt: expected a 64-bit integer")
                .message().doesNotContain("secret-looking-value");
    }

    @Test
    void aSendersMemberNameIsQuotedShortAndPrintableInTheError() {
        JsonNode grant = AvroJson.toJson(new DecisionEvent(SampleRecords.filled(Grant.class)));
        String forgedLogLine = "x\nWARN forged line\u001b[31m" + "y".repeat(10_000);

        // 23 characters before the y's: x, the line feed, "WARN forged line", the escape and "[31m".
        String expected = "decision.x\\u000aWARN forged line\\u001b[31m" + "y".repeat(64 - 23)
                + "...: unknown member";
        assertRefused(grant, "decision", d -> d.put(forgedLogLine, 1), expected);
    }

    private static void assertRefused(JsonNode valid, String member, java.util.function.Consumer<ObjectNode> change,
                                      String message) {
        JsonNode broken = valid.deepCopy();
        change.accept((ObjectNode) broken.get(member));
        assertThatThrownBy(() -> AvroJson.fromJson(broken, DecisionEvent.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /** Records with every field set from its schema, distinct per field, so that a dropped field shows. */
    static final class SampleRecords {
        private SampleRecords() {
        }

        static <T extends SpecificRecord> T filled(Class<T> type) {
            GeneratedClassTrust.install();
            return type.cast(value(SpecificData.get().getSchema(type), new int[]{1}));
        }

        private static Object value(Schema schema, int[] counter) {
            int n = counter[0]++;
            switch (schema.getType()) {
                case STRING:
                    return "value-" + n;
                case INT:
                    return n;
                case LONG:
                    return 1_700_000_000_000L + n;
                case BOOLEAN:
                    return n % 2 == 0;
                case BYTES:
                    return ByteBuffer.wrap(new byte[]{(byte) 0xfb, (byte) 0xff, (byte) n});
                case ENUM:
                    return SpecificData.get().createEnum(schema.getEnumSymbols().get(1), schema);
                case ARRAY:
                    List<Object> items = new ArrayList<>();
                    items.add(value(schema.getElementType(), counter));
                    items.add(value(schema.getElementType(), counter));
                    return items;
                case MAP:
                    return Map.of("k" + n, value(schema.getValueType(), counter));
                case UNION:
                    Schema last = schema.getTypes().get(schema.getTypes().size() - 1);
                    return value(last, counter);
                case RECORD:
                    IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
                    for (Schema.Field field : schema.getFields()) {
                        record.put(field.pos(), value(field.schema(), counter));
                    }
                    return record;
                default:
                    throw new IllegalStateException("no sample for " + schema.getType());
            }
        }
    }
}
