package io.idstream.it.lifecycle;

import io.idstream.avro.CredentialStatus;
import io.idstream.avro.NoticeKind;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.HolderClient.Scope;
import io.idstream.sdk.IssuerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.idstream.it.lifecycle.LifecyclePlatform.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys lost without a backup (docs/protocol.md section 7): the id is bound to a key nobody holds any more, so its
 * owner registers a new id, allows the issuer to write to it, and the issuer re-issues there and revokes what it had
 * issued to the old id. Every grant on the revoked credentials ends, so nothing keeps flowing to a consumer from an id
 * its owner can no longer control, and the new id serves the consumer instead.
 */
@Timeout(180)
class LostKeyIT {
    private static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");

    @TempDir
    static Path dir;
    static LifecyclePlatform lifecycle;
    static IssuerClient kycCo;
    static ConsumerClient exchange;

    @BeforeAll
    static void start() {
        lifecycle = new LifecyclePlatform(dir);
        kycCo = lifecycle.issuer("kyc-co");
        exchange = lifecycle.consumer("exchange-a");
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    @Test
    void aHolderWhoLostHerKeysMovesToANewIdAndTheOldIdsGrantsEnd() throws IOException {
        // Given alice with a credential and a standing grant of it to exchange-a, which has been served.
        HolderClient alice = lifecycle.holder("alice");
        lifecycle.allow(alice, kycCo, List.of("kyc"));
        String oldKyc = lifecycle.issueStored(kycCo, "alice", "kyc", KYC);
        alice.awaitCredential(oldKyc, WAIT);
        String oldGrant = alice.grant("exchange-a", oldKyc, "onboarding", new Scope(List.of("country"), null, 0));
        try (DeliveryWatch deliveries = new DeliveryWatch(exchange, "lost-keys")) {
            String served = exchange.requestCredential("alice", oldKyc, List.of("country"), "onboarding");
            assertThat(deliveries.answerTo(served)).as("exchange-a's delivery under alice's grant")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);

            // When her keys are lost, with no backup: she registers a new id and allows kyc-co to write to it; kyc-co
            // re-issues her credential there and revokes the one it issued to the id she can no longer use.
            lifecycle.deleteKeys("alice");
            HolderClient aliceAgain = lifecycle.holder("alice-2");
            lifecycle.allow(aliceAgain, kycCo, List.of("kyc"));
            String newKyc = lifecycle.issueStored(kycCo, "alice-2", "kyc", KYC);
            kycCo.revoke("alice", oldKyc, "holder-lost-keys");

            // Then the old id's grant ends with the revocation, and its credential delivers nothing any more.
            deliveries.await("CREDENTIAL_REVOKED for grant " + oldGrant, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.CREDENTIAL_REVOKED && n.grantId().equals(oldGrant));
            assertThat(lifecycle.vault("alice").get(oldKyc).getStatus()).as("the old id's credential")
                    .isEqualTo(CredentialStatus.REVOKED);
            String toTheOldId = exchange.requestCredential("alice", oldKyc, List.of("country"), "onboarding");
            DeliveryOutcome answer = deliveries.await("the answer to request " + toTheOldId,
                    o -> o.requestId().equals(toTheOldId));
            assertThat(answer).as("what exchange-a hears from the old id")
                    .isInstanceOfSatisfying(DeliveryOutcome.Notice.class,
                            n -> assertThat(n.kind()).isEqualTo(NoticeKind.CREDENTIAL_REVOKED));
            assertThat(lifecycle.deliveriesFor("exchange-a", toTheOldId)).as("deliveries from the old id").isEmpty();

            // And the new id serves exchange-a.
            aliceAgain.awaitCredential(newKyc, WAIT);
            String toTheNewId = exchange.requestCredential("alice-2", newKyc, List.of("country"), "onboarding");
            aliceAgain.awaitPending(toTheNewId, WAIT);
            aliceAgain.approve(toTheNewId, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(toTheNewId)).as("exchange-a's delivery from the new id")
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, d -> {
                        assertThat(d.holderId()).isEqualTo("alice-2");
                        assertThat(d.values()).containsExactlyEntriesOf(Map.of("country", "DE"));
                    });
        }
    }
}
