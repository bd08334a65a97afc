package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder's export of everything the platform holds on her (GDPR articles 15 and 20): the gateway's document read
 * whole, each credential opened here with her key once its issuer's signature verifies; one that does not open is
 * left out and reported.
 */
class HolderExportTest {
    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    final DeliveryFixture fixture = new DeliveryFixture();
    final SigningKeyPair operator = SigningKeyPair.generate();
    final RecordingGateway server = new RecordingGateway();
    final HolderClient alice = new HolderClient(fixture.holder, new GatewayConnection(server.url(), fixture.holder),
            ConsumerTrust.forHolder(List.of(operator.publicKey())));
    /** A credential in alice's name that kyc-co did not sign. */
    final CredentialIssued forged = CredentialRecords.toAvro(Credentials.issue(SigningKeyPair.generate(),
            new CredentialHeader(UUID.randomUUID().toString(), "alice", "kyc-co", "kyc", 1_000L, 0L),
            fixture.holder.encryption().publicKey(), Map.of("country", "FR")));

    HolderExportTest() throws IOException {
        server.answer("GET", "/v1/principals/kyc-co", 200, RecordingGateway.json(TrustedDirectory.accredited(
                TrustedDirectory.entry("kyc-co", "issuer", fixture.issuer), operator)));
        AccessAudit granted = new AccessAudit("alice", "exchange-a", fixture.credential.getCredentialId(), "", "g1",
                List.of("country"), "onboarding", AuditOutcome.GRANTED, 3_000L);
        server.answer("GET", "/v1/holders/alice/export", 200, "{\"holderId\":\"alice\",\"exportedAt\":9000,"
                + "\"principal\":" + RecordingGateway.json(TrustedDirectory.entry("alice", "holder",
                fixture.holder.signing()))
                + ",\"credentials\":[" + RecordingGateway.json(fixture.stored(CredentialStatus.ACTIVE)) + ","
                + RecordingGateway.json(new StoredCredential(forged, CredentialStatus.ACTIVE, "", 0L, 2_000L, null,
                0L))
                + "],\"grants\":[{\"grant\":" + RecordingGateway.json(fixture.grant(List.of("country")))
                + ",\"uses\":1}],\"writeGrants\":[],\"consentRequests\":[],\"inbox\":[],"
                + "\"audit\":[{\"cursor\":0,\"entry\":" + RecordingGateway.json(granted) + "}],"
                + "\"backup\":{\"storedAt\":4000}}");
    }

    @AfterEach
    void stop() {
        alice.close();
        server.close();
    }

    @Test
    void theExportOpensEachGenuineCredentialHereAndKeepsEverythingElseTheGatewayHolds() throws IOException {
        HolderExport export = alice.export();

        assertThat(export.credentials()).singleElement().satisfies(opened -> {
            assertThat(opened.credentialId()).isEqualTo(fixture.credential.getCredentialId());
            assertThat(opened.fields()).isEqualTo(Map.of("country", "DE", "full_name", "Alice Example",
                    "age_over_18", "true"));
            assertThat(opened.status()).isEqualTo("ACTIVE");
            assertThat(opened.toString()).doesNotContain("Alice Example");
        });
        assertThat(alice.skippedRecords()).singleElement().extracting(SkippedRecord::reason).asString()
                .startsWith("credential " + forged.getCredentialId() + " does not open: ");
        assertThat(export.grants()).singleElement().extracting(GatewayConnection.ActiveGrant::uses).isEqualTo(1);
        assertThat(export.audit()).extracting(AccessAudit::getOutcome).containsExactly(AuditOutcome.GRANTED);
        assertThat(export.backupStoredAt()).isEqualTo(4_000L);

        JsonNode document = GatewayConnection.JSON.readTree(export.toJson());
        assertThat(document.path("credentials").get(0).path("fields").path("full_name").asText())
                .isEqualTo("Alice Example");
        assertThat(document.path("audit")).hasSize(1);
        assertThat(document.path("backup").path("storedAt").asLong()).isEqualTo(4_000L);
    }
}
