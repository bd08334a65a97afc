package io.idstream.it.attacks;

import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.CredentialRecords;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Bringing an ended credential back: the holder erases a credential (after its issuer revoked it, or of its own
 * accord) and sends the issuer's original, validly signed {@code CredentialIssued} again. The processors remember
 * every revoked and erased credential id and refuse it as {@code credential-ended} for ever, so the vault never
 * holds it again.
 */
@Timeout(60)
class CredentialResurrectionAttackTest {
    TopologyHarness harness;
    Party issuer;
    Party alice;

    @BeforeEach
    void registerParties() throws Exception {
        harness = new TopologyHarness();
        issuer = harness.register("kyc-co", "issuer");
        harness.accredit(issuer);
        alice = harness.register("alice", "holder");
        harness.allowIssuer(alice, issuer, List.of("kyc"), Duration.ofDays(30));
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void aRevokedThenErasedCredentialSentAgainIsNotStored() {
        Credentials.IssuedCredential credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.revokeCredential(issuer, alice, credential, "fraud");
        harness.erase(alice, credential.header().credentialId());
        harness.stored.readRecordsToList(); // the vault's changes so far: stored, revoked or erased

        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));

        assertRefusedAsEnded(credential);
    }

    @Test
    void aRevokedCredentialSentAgainIsRefusedAsEnded() {
        Credentials.IssuedCredential credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.revokeCredential(issuer, alice, credential, "fraud");
        harness.stored.readRecordsToList(); // the vault's changes so far: stored, revoked or erased

        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));

        assertRefusedAsEnded(credential);
    }

    @Test
    void anErasedCredentialSentAgainIsNotStored() {
        Credentials.IssuedCredential credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.erase(alice, credential.header().credentialId());
        harness.stored.readRecordsToList(); // the vault's changes so far: stored, revoked or erased

        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));

        assertRefusedAsEnded(credential);
    }

    private void assertRefusedAsEnded(Credentials.IssuedCredential credential) {
        assertThat(harness.stored.readKeyValuesToList()).as("the vault's changes after the replay")
                .extracting(kv -> kv.key, (KeyValue<String, StoredCredential> kv) -> kv.value == null ? null
                        : kv.value.getStatus())
                .isEmpty();
        assertThat(harness.rejections()).as("rejections of the replayed credential")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("credential-ended", harness.catalog.credentialsIssued().name()));
    }
}
