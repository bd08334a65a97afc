package io.idstream.gateway.views;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.KeyBackup;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.Party;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The holder's write grants, the consent requests waiting for her and her backup, as the gateway makes them from the
 * decisions topic, the inbox and the backups topic: what a holder signed shows until it ends, what she did not sign
 * never shows, and what the gateway cannot vouch for shows only as it was written.
 */
@Timeout(120)
class LifecycleViewsTopologyTest {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    private GatewayHarness gateway;
    private Party issuer;
    private Party alice;
    private Party bob;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new GatewayHarness();
        issuer = gateway.accreditedIssuer();
        alice = gateway.register("alice", "holder");
        bob = gateway.register("bob", "holder");
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    private WriteGrant writeGrant(Party signer, String holderId, String consentRequestId, long validForMs) {
        return WriteGrantRecords.writeGrant(signer.signing, UUID.randomUUID().toString(), holderId, issuer.id,
                consentRequestId, List.of("kyc"), gateway.now(), gateway.now() + validForMs);
    }

    private ConsentRequest consentRequest(Party signer, String holderId) {
        return WriteGrantRecords.consentRequest(signer.signing, UUID.randomUUID().toString(), issuer.id, holderId,
                List.of("kyc"), "onboarding", gateway.now());
    }

    private List<String> writeGrantIds(String holderId) {
        return gateway.views.writeGrants(holderId, gateway.now()).stream().map(WriteGrant::getWriteGrantId).toList();
    }

    @Test
    void aWriteGrantTheHolderSignedShowsUntilSheRevokesIt() {
        // Given alice's write grant to kyc-co
        WriteGrant allowed = writeGrant(alice, "alice", "", 30 * DAY_MS);
        gateway.writeDecision("alice", new DecisionEvent(allowed));

        // Then it is in force
        assertThat(gateway.views.writeGrants("alice", gateway.now())).containsExactly(allowed);

        // When she revokes it
        gateway.writeDecision("alice", new DecisionEvent(WriteGrantRecords.revocation(alice.signing,
                allowed.getWriteGrantId(), "alice", gateway.now())));

        // Then it has ended
        assertThat(gateway.views.writeGrants("alice", gateway.now())).isEmpty();
        assertThat(gateway.entriesIn(GatewayStores.WRITE_GRANTS)).isZero();
    }

    @Test
    void aWriteGrantOrRevocationSignedByAnotherKeyIsNotTheHolders() {
        // Given bob's key signing a write grant in alice's name, and alice's own write grant
        gateway.writeDecision("alice", new DecisionEvent(writeGrant(bob, "alice", "", 30 * DAY_MS)));
        WriteGrant allowed = writeGrant(alice, "alice", "", 30 * DAY_MS);
        gateway.writeDecision("alice", new DecisionEvent(allowed));

        // When bob's key signs a revocation of alice's write grant in her name
        gateway.writeDecision("alice", new DecisionEvent(WriteGrantRecords.revocation(bob.signing,
                allowed.getWriteGrantId(), "alice", gateway.now())));

        // Then only alice's own write grant shows, still in force, and both forgeries were counted
        assertThat(writeGrantIds("alice")).containsExactly(allowed.getWriteGrantId());
        assertThat(gateway.ignored("bad-signature")).isEqualTo(2.0);
    }

    @Test
    void aWriteGrantUnderAnotherHoldersKeyIsNotShownToThatHolder() {
        // When alice's genuine write grant is written again under bob's key
        gateway.writeDecision("bob", new DecisionEvent(writeGrant(alice, "alice", "", 30 * DAY_MS)));

        // Then bob has none, and the record is counted as refused
        assertThat(gateway.views.writeGrants("bob", gateway.now())).isEmpty();
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(1.0);
    }

    @Test
    void aWriteGrantEndsAtItsExpiryAndLeavesTheStore() {
        // Given a write grant for one hour
        WriteGrant allowed = writeGrant(alice, "alice", "", Duration.ofHours(1).toMillis());
        gateway.writeDecision("alice", new DecisionEvent(allowed));

        // Then a read at its expiry does not show it
        assertThat(gateway.views.writeGrants("alice", allowed.getExpiresAt())).isEmpty();

        // When the wall clock passes its expiry
        gateway.advance(Duration.ofHours(1).plusSeconds(2));

        // Then the gateway has removed it
        assertThat(gateway.entriesIn(GatewayStores.WRITE_GRANTS)).isZero();
    }

    @Test
    void aConsentRequestWaitsUntilAWriteGrantNamesIt() {
        // Given kyc-co's consent request, forwarded to alice's inbox
        ConsentRequest asked = consentRequest(issuer, "alice");
        gateway.writeInbox("alice", asked);

        // Then it waits for her, and the gateway told of it
        assertThat(gateway.views.consentRequests("alice", gateway.now())).containsExactly(asked);
        assertThat(gateway.changes.drain()).containsExactly("consent-request alice " + asked.getConsentRequestId());

        // When she allows kyc-co in answer to it
        gateway.writeDecision("alice", new DecisionEvent(writeGrant(alice, "alice", asked.getConsentRequestId(),
                30 * DAY_MS)));

        // Then it no longer waits
        assertThat(gateway.views.consentRequests("alice", gateway.now())).isEmpty();
        assertThat(gateway.entriesIn(GatewayStores.CONSENT_REQUESTS)).isZero();
    }

    @Test
    void aWriteGrantReadBeforeTheConsentRequestItAnswersKeepsTheRequestFromShowing() {
        // Given alice's answer, read before the request it names
        ConsentRequest asked = consentRequest(issuer, "alice");
        gateway.writeDecision("alice", new DecisionEvent(writeGrant(alice, "alice", asked.getConsentRequestId(),
                30 * DAY_MS)));
        assertThat(gateway.entriesIn(GatewayStores.ANSWERED)).as("consent requests marked answered").isEqualTo(1);

        // When the request is read
        gateway.writeInbox("alice", asked);

        // Then it never shows, and its mark is spent
        assertThat(gateway.views.consentRequests("alice", gateway.now())).isEmpty();
        assertThat(gateway.entriesIn(GatewayStores.ANSWERED)).isZero();
    }

    @Test
    void aConsentRequestOlderThanThePendingTtlIsNotShownAndIsRemoved() {
        // Given a consent request waiting for alice
        ConsentRequest asked = consentRequest(issuer, "alice");
        gateway.writeInbox("alice", asked);

        // Then a read at its creation plus the pending TTL (7 days) does not show it
        assertThat(gateway.views.consentRequests("alice", asked.getCreatedAt() + 7 * DAY_MS)).isEmpty();

        // When the wall clock passes it
        gateway.advance(Duration.ofDays(7).plusSeconds(2));

        // Then the gateway has removed it
        assertThat(gateway.entriesIn(GatewayStores.CONSENT_REQUESTS)).isZero();
    }

    @Test
    void aForgedConsentRequestFromAHostileWriterShowsOnlyAsTheRecordItWrote() {
        // Given a writer of the inbox topic who forges kyc-co's consent request to alice with bob's key, and who
        // writes a request addressed to bob under alice's key
        ConsentRequest forged = consentRequest(bob, "alice");
        gateway.writeInbox("alice", forged);
        gateway.writeInbox("alice", consentRequest(issuer, "bob"));

        // Then alice is shown the forged record exactly as written, which her client refuses, since it is not
        // signed with kyc-co's key; and the request addressed to bob is not shown to her
        List<ConsentRequest> shown = gateway.views.consentRequests("alice", gateway.now());
        assertThat(shown).containsExactly(forged);
        assertThatThrownBy(() -> WriteGrantRecords.verify(issuer.signing.publicKey(), shown.get(0)))
                .isInstanceOf(CryptoException.class);
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(1.0);
    }

    @Test
    void aHoldersLatestBackupIsKeptAndNoOtherPrincipalsBackupUnderHerId() {
        // Given alice's backup, then a newer one
        byte[] alicesKeys = KeyBackup.seal("alice", "holder", alice.signing, alice.encryption, PASSPHRASE,
                gateway.now());
        gateway.writeBackup("alice", new HolderBackup("alice", ByteBuffer.wrap(alicesKeys), gateway.now()));
        HolderBackup newer = new HolderBackup("alice", ByteBuffer.wrap(alicesKeys), gateway.now() + 1);
        gateway.writeBackup("alice", newer);

        // When records under her id carry bob's keys, name bob, or are no backup at all
        byte[] bobsKeys = KeyBackup.seal("bob", "holder", bob.signing, bob.encryption, PASSPHRASE, gateway.now());
        gateway.writeBackup("alice", new HolderBackup("alice", ByteBuffer.wrap(bobsKeys), gateway.now() + 2));
        gateway.writeBackup("alice", new HolderBackup("bob", ByteBuffer.wrap(bobsKeys), gateway.now() + 3));
        gateway.writeBackup("alice", new HolderBackup("alice",
                ByteBuffer.wrap(Arrays.copyOf(alicesKeys, alicesKeys.length + 1)), gateway.now() + 4));

        // Then her newer backup is the one kept, and each of the others was refused
        assertThat(gateway.views.backup("alice")).contains(newer);
        assertThat(gateway.views.backup("bob")).isEmpty();
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(2.0);
        assertThat(gateway.ignored("malformed")).isEqualTo(1.0);
    }
}
