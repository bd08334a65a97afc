package io.idstream.it.lifecycle;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.it.lifecycle.LifecyclePlatform.Rejected;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IssuerClient;
import io.idstream.topics.Topic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.idstream.it.lifecycle.LifecyclePlatform.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent before issuance (docs/protocol.md sections 6a and 11): the processors store an issuer's credential only
 * while the holder's signed write grant naming that issuer and the credential's type is in force. Without one the
 * credential is refused as {@code no-write-grant}, the issuer hears so, and the holder's vault never holds it. The
 * issuer's consent request reaches the holder's inbox; the holder's answer lets the issuer write; the holder can end
 * it; and a write grant signed by anyone but the holder counts for nothing.
 */
@Timeout(180)
class ConsentBeforeIssuanceIT {
    private static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");

    @TempDir
    static Path dir;
    static LifecyclePlatform lifecycle;
    static IssuerClient kycCo;
    static IssuerClient bankCo;

    @BeforeAll
    static void start() {
        lifecycle = new LifecyclePlatform(dir);
        kycCo = lifecycle.issuer("kyc-co");
        bankCo = lifecycle.issuer("bank-co");
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    @Test
    void aCredentialWithoutAWriteGrantIsRefusedTheIssuerToldAndTheVaultNeverHoldsIt() {
        HolderClient alice = lifecycle.holder("alice");

        var outcome = kycCo.issueAndAwait("alice", "kyc", KYC, 0L, WAIT);

        assertThat(outcome.stored()).as("kyc-co's credential stored without alice's consent").isFalse();
        assertThat(outcome.reason()).isEqualTo("no-write-grant");
        assertRefusedForWantOfAWriteGrant(outcome.credentialId());
        // The issuer's notice and the refusal are written in the transaction that read the credential, so the vault
        // read to its end now holds all that credential will ever make of it.
        assertThat(lifecycle.vault("alice")).as("alice's vault").doesNotContainKey(outcome.credentialId());
        assertThat(alice.credentials()).as("alice's vault through the gateway")
                .doesNotContainKey(outcome.credentialId());
    }

    @Test
    void theIssuersConsentRequestReachesTheHolderWhoseAnswerLetsTheIssuerWrite() {
        HolderClient bob = lifecycle.holder("bob");

        String consentRequestId = kycCo.requestConsent("bob", List.of("kyc"), "account opening at Example Bank");

        ConsentRequest asked = Awaitility.await("kyc-co's consent request in bob's inbox").atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).until(() -> bob.consentRequests().stream()
                        .filter(c -> c.getConsentRequestId().equals(consentRequestId)).findFirst(),
                        Optional::isPresent).orElseThrow();
        assertThat(List.of(asked.getIssuerId(), asked.getHolderId(), asked.getPurpose()))
                .as("the consent request bob's client shows")
                .containsExactly("kyc-co", "bob", "account opening at Example Bank");
        assertThat(asked.getCredentialTypes()).containsExactly("kyc");

        String writeGrantId = bob.allowIssuer("kyc-co", asked.getCredentialTypes(), LifecyclePlatform.CONSENT,
                consentRequestId);

        var granted = kycCo.awaitWriteGrant("bob", consentRequestId, WAIT);
        assertThat(granted).as("kyc-co hears bob's answer to its consent request").isPresent();
        assertThat(granted.get().getWriteGrantId()).isEqualTo(writeGrantId);
        assertThat(granted.get().getCredentialTypes()).containsExactly("kyc");
        var outcome = kycCo.issueAndAwait("bob", "kyc", KYC, 0L, WAIT);
        assertThat(outcome.stored()).as("kyc-co's credential, refused as " + outcome.reason() + ": "
                + outcome.detail()).isTrue();
        assertThat(bob.awaitCredential(outcome.credentialId(), WAIT).getCredential().getIssuerId())
                .isEqualTo("kyc-co");
        assertThat(bob.open(outcome.credentialId())).as("bob's credential, opened").isEqualTo(KYC);
        assertThat(bob.writeGrants()).as("bob's write grants in force").extracting(WriteGrant::getWriteGrantId)
                .containsExactly(writeGrantId);
        assertThat(bob.consentRequests()).as("bob's consent requests still waiting for an answer")
                .extracting(ConsentRequest::getConsentRequestId).doesNotContain(consentRequestId);
    }

    @Test
    void aWriteGrantForAnotherTypeOrToAnotherIssuerDoesNotCount() {
        HolderClient carol = lifecycle.holder("carol");
        lifecycle.allow(carol, kycCo, List.of("passport"));
        lifecycle.allow(carol, bankCo, List.of("kyc"));

        var kycFromKycCo = kycCo.issueAndAwait("carol", "kyc", KYC, 0L, WAIT);

        assertThat(kycFromKycCo.stored()).as("a kyc credential of kyc-co, which carol allowed to write passports "
                + "only, and bank-co to write kyc credentials").isFalse();
        assertThat(kycFromKycCo.reason()).isEqualTo("no-write-grant");
        assertRefusedForWantOfAWriteGrant(kycFromKycCo.credentialId());
        // Each write grant counts for what it names.
        lifecycle.issueStored(kycCo, "carol", "passport", Map.of("number", "C01X00T47"));
        lifecycle.issueStored(bankCo, "carol", "kyc", KYC);
    }

    @Test
    void afterTheHolderDisallowsTheIssuerItsCredentialsAreRefusedAgain() {
        HolderClient dave = lifecycle.holder("dave");
        String writeGrantId = lifecycle.allow(dave, kycCo, List.of("kyc"));
        lifecycle.issueStored(kycCo, "dave", "kyc", KYC);

        dave.disallowIssuer(writeGrantId);

        lifecycle.awaitIssuerNotice("kyc-co", "the end of dave's write grant " + writeGrantId,
                n -> n.getKind() == IssuerNoticeKind.WRITE_GRANT_ENDED && n.getWriteGrantId().equals(writeGrantId));
        assertThat(dave.writeGrants()).as("dave's write grants in force").isEmpty();
        var outcome = kycCo.issueAndAwait("dave", "kyc", KYC, 0L, WAIT);
        assertThat(outcome.stored()).as("kyc-co's credential after dave disallowed it").isFalse();
        assertThat(outcome.reason()).isEqualTo("no-write-grant");
        assertRefusedForWantOfAWriteGrant(outcome.credentialId());
    }

    /**
     * A hostile writer of the decisions topic (a holder of its own, mallory) signs a write grant in erin's name that
     * lets kyc-co write to erin's vault, and puts it in erin's partition: the processors refuse it for its signature,
     * and kyc-co's credentials for erin stay refused.
     */
    @Test
    void aWriteGrantSignedByAnotherHolderIsRefusedAndCountsForNothing() {
        HolderClient mallory = lifecycle.holder("mallory");
        lifecycle.holder("erin");
        long now = System.currentTimeMillis();
        SigningKeyPair mallorysKey = mallory.identity().signing();
        WriteGrant forged = WriteGrantRecords.writeGrant(mallorysKey, UUID.randomUUID().toString(), "erin", "kyc-co",
                "", List.of("kyc"), now, now + LifecyclePlatform.CONSENT.toMillis());

        lifecycle.write(lifecycle.platform.catalog().accessDecisions(), "erin", new DecisionEvent(forged));

        Rejected refused = lifecycle.awaitRejected("the write grant forged in erin's name",
                r -> isDecision(r, forged.getWriteGrantId()));
        assertThat(refused.reason()).as("why the forged write grant was refused: " + refused.detail())
                .isEqualTo("bad-signature");
        assertThat(lifecycle.issuerNotices("kyc-co")).as("what kyc-co heard of the forged write grant")
                .noneMatch(n -> n.getWriteGrantId().equals(forged.getWriteGrantId()));
        var outcome = kycCo.issueAndAwait("erin", "kyc", KYC, 0L, WAIT);
        assertThat(outcome.stored()).as("kyc-co's credential for erin, allowed only by mallory's forgery").isFalse();
        assertThat(outcome.reason()).isEqualTo("no-write-grant");
        assertThat(lifecycle.vault("erin")).as("erin's vault").isEmpty();
    }

    /** The credential is on idstream.rejected as {@code no-write-grant}, and the issuer heard CREDENTIAL_REFUSED. */
    private static void assertRefusedForWantOfAWriteGrant(String credentialId) {
        Topic<String, IssuanceEvent> issued = lifecycle.platform.catalog().credentialsIssued();
        Rejected refused = lifecycle.awaitRejected("credential " + credentialId, r -> r.sourceTopic()
                .equals(issued.name()) && issued.valueSerde().deserializer().deserialize(issued.name(), r.value())
                .getEvent() instanceof CredentialIssued c && c.getCredentialId().equals(credentialId));
        assertThat(refused.reason()).as("why credential " + credentialId + " was refused: " + refused.detail())
                .isEqualTo("no-write-grant");
        assertThat(lifecycle.issuerNotices("kyc-co").stream().filter(n -> n.getCredentialId().equals(credentialId)))
                .as("what the issuer heard of credential " + credentialId)
                .extracting(n -> n.getKind() + " " + n.getReason())
                .containsExactly("CREDENTIAL_REFUSED no-write-grant");
    }

    private static boolean isDecision(Rejected rejected, String writeGrantId) {
        Topic<String, DecisionEvent> decisions = lifecycle.platform.catalog().accessDecisions();
        return rejected.sourceTopic().equals(decisions.name())
                && decisions.valueSerde().deserializer().deserialize(decisions.name(), rejected.value())
                .getDecision() instanceof WriteGrant w && w.getWriteGrantId().equals(writeGrantId);
    }
}
