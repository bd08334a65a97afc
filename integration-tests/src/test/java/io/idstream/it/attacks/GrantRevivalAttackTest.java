package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Reviving a grant: whoever holds a copy of a holder's signed grant (the consumer rebuilds it from any delivery it
 * answered) sends it again once the processors have forgotten its id, at the end of the replay window. Taken as
 * new, it would be installed again with its uses reset, and answer requests the holder never agreed to. The grant
 * carries the time the holder signed it, and one signed longer ago than the replay window is refused as
 * {@code stale} (docs/protocol.md section 11), so the copy changes nothing.
 */
@Timeout(60)
class GrantRevivalAttackTest extends AttackedTopology {
    /** The processors' default replay window, {@code idstream.replay.window.ms}. */
    static final Duration REPLAY_WINDOW = Duration.ofDays(7);

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() throws Exception {
        harness.deliveryTopics.add(exchange.id);
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
    }

    @Test
    void anExhaustedGrantSentAgainAfterTheReplayWindowAnswersNothing() {
        Grant oneUse = harness.grant(alice, exchange, credential, "", List.of("country"), null, 1);
        AccessRequest first = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("the grant's one delivery")
                .extracting(CredentialDelivery::getRequestId).containsExactly(first.getRequestId());

        harness.advance(REPLAY_WINDOW.plusMinutes(1));
        harness.decisions.pipeInput(alice.id, new DecisionEvent(oneUse));

        assertRefusedAsStale(oneUse);
        assertParkedNotDelivered(harness.request(exchange, alice, "kyc", List.of("country")));
    }

    @Test
    void aGrantStillActiveSentAgainAfterTheReplayWindowDoesNotGetItsUsesBack() {
        Grant twoUses = harness.grant(alice, exchange, credential, "", List.of("country"), null, 2);
        harness.request(exchange, alice, "kyc", List.of("country"));
        harness.advance(REPLAY_WINDOW.plusMinutes(1));
        AccessRequest second = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("both deliveries the grant allows")
                .extracting(CredentialDelivery::getRequestId).endsWith(second.getRequestId()).hasSize(2);

        harness.decisions.pipeInput(alice.id, new DecisionEvent(twoUses));

        assertRefusedAsStale(twoUses);
        assertParkedNotDelivered(harness.request(exchange, alice, "kyc", List.of("country")));
    }

    @Test
    void aRevokedGrantSentAgainAfterTheReplayWindowAnswersNothing() {
        Grant unlimited = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.revokeGrant(alice, unlimited.getGrantId());
        harness.deliveriesOf(exchange); // the REVOKED notice

        harness.advance(REPLAY_WINDOW.plusMinutes(1));
        harness.decisions.pipeInput(alice.id, new DecisionEvent(unlimited));

        assertRefusedAsStale(unlimited);
        assertParkedNotDelivered(harness.request(exchange, alice, "kyc", List.of("country")));
    }

    private void assertRefusedAsStale(Grant grant) {
        assertThat(harness.rejections()).as("rejections of the grant sent again")
                .extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("stale", "grant " + grant.getGrantId()
                        + " was issued before the replay window"));
    }

    /** The consumer's new request is parked for the holder: it hears PENDING, and no delivery answers it. */
    private void assertParkedNotDelivered(AccessRequest request) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries after the grant was sent again")
                .extracting(CredentialDelivery::getRequestId).isEmpty();
        assertThat(notices(events)).as("notices after the grant was sent again")
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getRequestId)
                .containsExactly(tuple(NoticeKind.PENDING, request.getRequestId()));
    }
}
