package io.idstream.schemas;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value schema must read what every released version wrote (BACKWARD), the registry's default rule: a change
 * that breaks this would be refused by the registry at deploy time, so it is refused here first. A release adds its
 * schemas as a new baseline directory.
 */
class SchemaEvolutionTest {
    static Stream<Schema> currentValueSchemas() {
        return Stream.of(DirectoryEvent.getClassSchema(), IssuanceEvent.getClassSchema(),
                StoredCredential.getClassSchema(), AccessRequest.getClassSchema(), DecisionEvent.getClassSchema(),
                InboxEvent.getClassSchema(), DeliveryEvent.getClassSchema(), AccessAudit.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentValueSchemas")
    void readsEveryBaselineVersion(Schema current) throws IOException {
        Schema baseline = new Schema.Parser().parse(
                Path.of("src/test/resources/baseline/v1", current.getName() + ".avsc").toFile());
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, baseline);
        assertThat(result.getType())
                .as("%s reads data written with baseline v1: %s", current.getName(),
                        result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
}
