package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code consumerVerification} vectors of {@code vectors/protocol-v1.json} (docs/protocol.md section 15), which the
 * independent Python implementation writes: each delivery event, genuine or forged, judged by this consumer's own
 * checks (the delivery's signatures and keys, the issuer's accreditation, the clocks, the request ledger) as a
 * consumer that sent exactly the vectors' requests, at their {@code now}, pinning their operator keys and reading their
 * directory, must come out as the vector says: delivered with its values, a notice, or refused by the named check.
 */
class ConsumerVerificationVectorsTest {
    private static final Path VECTORS = Path.of("../crypto/src/test/resources/vectors/protocol-v1.json");
    private static final JsonNode ROOT = read();
    private static final JsonNode VERIFICATION = ROOT.get("consumerVerification");

    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(VECTORS.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VECTORS, e);
        }
    }

    static Stream<Named<JsonNode>> events() {
        List<Named<JsonNode>> events = new ArrayList<>();
        VERIFICATION.get("events").forEach(event -> events.add(Named.of(event.get("name").asText(), event)));
        return events.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachEventHasTheOutcomeTheProtocolDemands(JsonNode vector) {
        // Given a consumer that sent exactly the vectors' requests, and had some answered at the positions given
        RequestLedger ledger = RequestLedger.inMemory(VERIFICATION.get("consumerId").asText());
        VERIFICATION.get("requests").forEach(request -> ledger.sent(request.get("requestId").asText(),
                new RequestLedger.Request(request.get("holderId").asText(), request.get("credentialType").asText(),
                        request.get("credentialId").asText(), request.get("purpose").asText(),
                        Set.copyOf(strings(request.get("fields"))))));
        Map<String, String> answered = new HashMap<>();
        Optional.ofNullable(vector.get("answered")).ifPresent(positions -> positions.properties()
                .forEach(entry -> answered.put(entry.getKey(), entry.getValue().asText())));
        ledger.answered(answered);
        ConsumerTrust trust = new ConsumerTrust(strings(VERIFICATION.get("operatorKeys")).stream()
                .map(HexFormat.of()::parseHex).toList());
        DeliveryVerifier verifier = new DeliveryVerifier(EncryptionKeyPair.fromPrivateKey(
                HexFormat.of().parseHex(ROOT.get("keys").get("consumerEncryptionPrivate").asText())));
        Map<String, VerifiedPrincipal> directory = directory(vector);
        long now = (vector.has("now") ? vector : VERIFICATION).get("now").asLong();
        DeliveryEvent event = new DeliveryEvent(toRecord(vector.get("event"),
                DeliveryEvent.getClassSchema().getField("event").schema()));

        // When it judges the event, read at the vector's position
        DeliveryOutcome outcome = ledger.admit(trust.verify(verifier, id -> Optional.ofNullable(directory.get(id)),
                event, now), RequestLedger.Answer.of(event), vector.get("position").asText(), new HashMap<>());

        // Then the outcome is the one the vector names
        String expected = vector.get("outcome").asText();
        String named = "the outcome of '" + vector.get("name").asText() + "', expected " + expected;
        switch (expected) {
            case "DELIVERED" -> assertThat(outcome).as(named).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                    delivered -> assertThat(delivered.values()).as(named).isEqualTo(values(vector.get("values"))));
            case "NOTICE" -> assertThat(outcome).as(named).isInstanceOf(DeliveryOutcome.Notice.class);
            default -> assertThat(outcome).as(named).isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                    refused -> assertThat(refused.failedCheck().name()).as(named + ", refused: " + refused.reason())
                            .isEqualTo(expected));
        }
    }

    @Test
    void theEventsReachEveryCheckOfTheConsumerAndBothOtherOutcomes() {
        Set<String> outcomes = new TreeSet<>();
        VERIFICATION.get("events").forEach(event -> outcomes.add(event.get("outcome").asText()));

        Set<String> expected = new TreeSet<>(List.of("DELIVERED", "NOTICE"));
        Arrays.stream(Check.values()).map(Check::name).forEach(expected::add);
        assertThat(outcomes).isEqualTo(expected);
    }

    /** The vectors' directory, with the event's own entries in place of those of the same principal id. */
    private static Map<String, VerifiedPrincipal> directory(JsonNode vector) {
        Map<String, VerifiedPrincipal> directory = new HashMap<>();
        List<JsonNode> entries = new ArrayList<>();
        VERIFICATION.get("directory").forEach(entries::add);
        Optional.ofNullable(vector.get("directory")).ifPresent(replaced -> replaced.forEach(entries::add));
        for (JsonNode entry : entries) {
            VerifiedPrincipal principal = (VerifiedPrincipal) toRecord(entry, VerifiedPrincipal.getClassSchema());
            directory.put(principal.getPrincipal().getId(), principal);
        }
        return directory;
    }

    /**
     * A value of {@code schema} from the vectors' JSON: bytes as hex, enums as their symbol, a union of null and one
     * record as that record or null, a union of several records as {@code {"<RecordName>": {...}}}.
     */
    private static Object toRecord(JsonNode json, Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = json.get(field.name());
                    assertThat(value).as("field %s of %s", field.name(), schema.getName()).isNotNull();
                    record.put(field.pos(), toRecord(value, field.schema()));
                }
                return record;
            }
            case UNION -> {
                if (json.isNull()) {
                    return null;
                }
                List<Schema> records = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL)
                        .toList();
                if (records.size() == 1) {
                    return toRecord(json, records.get(0));
                }
                String name = json.properties().iterator().next().getKey();
                Schema branch = records.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
                return toRecord(json.get(name), branch);
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                json.forEach(item -> items.add(toRecord(item, schema.getElementType())));
                return items;
            }
            case ENUM -> {
                return SpecificData.get().createEnum(json.asText(), schema);
            }
            case BYTES -> {
                return ByteBuffer.wrap(HexFormat.of().parseHex(json.asText()));
            }
            case STRING -> {
                return json.asText();
            }
            case LONG -> {
                return json.asLong();
            }
            case INT -> {
                return json.asInt();
            }
            default -> throw new IllegalArgumentException("no vector holds a " + schema.getType());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asText()));
        return strings;
    }

    private static Map<String, String> values(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }
}
