package io.idstream.gateway.views;

import io.idstream.avro.CredentialStatus;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.processors.Party;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The holder's vault as the gateway serves it: what the processors stored, as they last stored it, until erased. */
@Timeout(120)
class CredentialsViewTopologyTest {
    private GatewayHarness gateway;
    private Party issuer;
    private Party alice;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new GatewayHarness();
        issuer = gateway.accreditedIssuer();
        alice = gateway.register("alice", "holder");
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void aStoredCredentialShowsAsLastStoredUntilTheHolderErasesIt() {
        // Given a credential the processors stored for alice
        Credentials.IssuedCredential issued = gateway.issue(issuer, alice);
        String credentialId = issued.header().credentialId();
        gateway.passVault();

        // Then her vault holds it
        assertThat(gateway.views.credentials("alice")).extracting(c -> c.getCredential().getCredentialId())
                .containsExactly(credentialId);
        assertThat(gateway.views.credential("alice", credentialId)).get()
                .extracting(StoredCredential::getStatus).isEqualTo(CredentialStatus.ACTIVE);

        // When its issuer revokes it, it shows revoked
        gateway.processors.revokeCredential(issuer, alice, issued, "superseded");
        gateway.passVault();
        assertThat(gateway.views.credential("alice", credentialId)).get()
                .extracting(StoredCredential::getStatus).isEqualTo(CredentialStatus.REVOKED);

        // When she erases it
        gateway.processors.erase(alice, credentialId);
        gateway.passVault();

        // Then it is gone
        assertThat(gateway.views.credentials("alice")).isEmpty();
        assertThat(gateway.views.credential("alice", credentialId)).isEmpty();
    }

    @Test
    void aCredentialUnderAnotherHoldersKeyIsNotInThatHoldersVault() {
        // Given alice's stored credential written again under bob's key
        gateway.register("bob", "holder");
        Credentials.IssuedCredential issued = gateway.issue(issuer, alice);
        gateway.passVault();
        StoredCredential alices = gateway.views.credentials("alice").get(0);

        // When it is read
        gateway.writeVault("bob/" + issued.header().credentialId(), alices);

        // Then bob's vault stays empty, and the record is counted as refused
        assertThat(gateway.views.credentials("bob")).isEmpty();
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(1.0);
    }
}
