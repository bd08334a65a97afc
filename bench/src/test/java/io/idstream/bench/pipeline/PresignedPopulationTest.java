package io.idstream.bench.pipeline;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.Principal;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.PrincipalRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresignedPopulationTest {
    private static final int HOLDERS = 7;
    private static final int CREDENTIALS = 10;

    @TempDir
    Path dir;

    @Test
    void aPopulationSignedAheadReadsBackWithEveryRecordIntact() throws Exception {
        PresignedPopulation.write(dir, HOLDERS, 2, 3, CREDENTIALS, step -> { });

        PresignedPopulation population = PresignedPopulation.open(dir, HOLDERS, 2, 3, CREDENTIALS);
        HolderChunk chunk = population.chunk(0, HOLDERS);

        assertThat(population.issuerKeys()).extracting(PopulationSigner.IssuerKey::id)
                .containsExactly("scale-issuer-000", "scale-issuer-001", "scale-issuer-002");
        assertThat(population.otherRegistrations()).extracting(Keyed::key).containsExactly("scale-issuer-000",
                "scale-issuer-001", "scale-issuer-002", "scale-consumer-0000", "scale-consumer-0001");
        assertThat(chunk.registrations()).extracting(Keyed::key).containsExactly("scale-holder-0000000",
                "scale-holder-0000001", "scale-holder-0000002", "scale-holder-0000003", "scale-holder-0000004",
                "scale-holder-0000005", "scale-holder-0000006");
        assertThat(chunk.consents()).hasSize(HOLDERS);
        // One credential per holder, then a second type for the first three.
        assertThat(chunk.credentials()).hasSize(CREDENTIALS);
        for (Keyed<DirectoryEvent> registration : chunk.registrations()) {
            PrincipalStatement statement = PrincipalRecords.statement((Principal) registration.value().getEvent());
            assertThat(statement.id()).isEqualTo(registration.key());
            assertThat(statement.role()).isEqualTo("holder");
        }
        for (Keyed<IssuanceEvent> issued : chunk.credentials()) {
            CredentialHeader header = CredentialRecords.header((CredentialIssued) issued.value().getEvent());
            assertThat(header.holderId()).isEqualTo(issued.key());
            assertThat(population.issuerKeys()).extracting(PopulationSigner.IssuerKey::id)
                    .contains(header.issuerId());
        }
    }

    @Test
    void aPopulationOfOtherCountsIsRefusedNamingTheCount() throws Exception {
        PresignedPopulation.write(dir, HOLDERS, 2, 3, CREDENTIALS, step -> { });

        assertThatThrownBy(() -> PresignedPopulation.open(dir, HOLDERS + 1, 2, 3, CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holders=7, not 8");
    }
}
