package io.idstream.gateway.views;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.crypto.Credentials;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The holder's grants as the gateway serves them: in force from the processors' acceptance, with the holder's own
 * signed terms and the deliveries made under them, until they end.
 */
@Timeout(120)
class GrantsViewTopologyTest {
    private GatewayHarness gateway;
    private Party alice;
    private Party exchange;
    private Credentials.IssuedCredential credential;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new GatewayHarness();
        Party issuer = gateway.accreditedIssuer();
        alice = gateway.register("alice", "holder");
        exchange = gateway.register("exchange-a", "consumer");
        credential = gateway.issue(issuer, alice);
        gateway.passVault();
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void aGrantIsInForceWithItsUsesCountedUntilTheHolderRevokesIt() {
        // Given alice's grant of 5 uses, answering exchange-a's parked request at once
        AccessRequest first = gateway.request(exchange, alice);
        Grant grant = gateway.grant(alice, exchange, credential, first.getRequestId(), 5);
        gateway.passAll();

        // Then it shows with its terms and one use, and the gateway told of its start and of the use
        assertThat(gateway.views.grants("alice")).extracting(g -> g.grant().getGrantId(),
                g -> g.grant().getConsumerId(), ActiveGrant::uses)
                .containsExactly(tuple(grant.getGrantId(), "exchange-a", 1));
        assertThat(gateway.changes.drain()).containsExactly("pending alice " + first.getRequestId(),
                "audit alice PENDING", "audit alice GRANTED", "grant alice " + grant.getGrantId() + " uses=0",
                "audit alice DELIVERED", "grant alice " + grant.getGrantId() + " uses=1");

        // When exchange-a asks again and is served from the standing grant
        gateway.request(exchange, alice);
        gateway.passAll();

        // Then it shows two uses, and the gateway told of the use
        assertThat(gateway.views.grants("alice")).extracting(ActiveGrant::uses).containsExactly(2);
        assertThat(gateway.changes.drain()).containsExactly("audit alice DELIVERED",
                "grant alice " + grant.getGrantId() + " uses=2");

        // When she revokes it
        gateway.processors.revokeGrant(alice, grant.getGrantId());
        gateway.passAll();

        // Then it no longer shows, and the gateway told that it ended
        assertThat(gateway.views.grants("alice")).isEmpty();
        assertThat(gateway.changes.drain()).containsExactly("audit alice REVOKED",
                "grant alice " + grant.getGrantId() + " ended");
    }

    @Test
    void aGrantEndedByTheHoldersKeyRotationNoLongerShows() {
        // Given alice's standing grant to exchange-a, in force
        Grant grant = gateway.grant(alice, exchange, credential, "", 0);
        gateway.passAll();
        assertThat(gateway.views.grants("alice")).extracting(g -> g.grant().getGrantId())
                .containsExactly(grant.getGrantId());
        gateway.changes.drain();

        // When she rotates her keys and re-keys her credential, which ends every grant her old key signed
        gateway.advance(Duration.ofSeconds(1));
        Party rotated = gateway.processors.rotate(alice, gateway.now());
        gateway.processors.rekey(alice, rotated, credential);
        gateway.passAll();

        // Then the grant no longer shows, and the gateway told that it ended
        assertThat(gateway.views.grants("alice")).isEmpty();
        assertThat(gateway.changes.drain()).contains("audit alice KEY_CHANGED",
                "grant alice " + grant.getGrantId() + " ended");
    }

    @Test
    void aGrantWhoseAcceptanceIsReadBeforeItsTermsShowsOnceTheTermsAreRead() {
        // Given a grant the processors accepted and used once, whose audit the gateway reads first
        AccessRequest request = gateway.request(exchange, alice);
        Grant grant = gateway.processors.grant(alice, exchange, credential, request.getRequestId(),
                List.of("country"), Duration.ofDays(30), 5);
        gateway.passAll();
        assertThat(gateway.views.grants("alice")).isEmpty();
        gateway.changes.drain();

        // When its terms are read from the decisions topic
        gateway.writeDecision("alice", new DecisionEvent(grant));

        // Then it shows, with the use counted before its terms were known
        assertThat(gateway.views.grants("alice")).extracting(g -> g.grant().getGrantId(), ActiveGrant::uses)
                .containsExactly(tuple(grant.getGrantId(), 1));
        assertThat(gateway.changes.drain()).containsExactly("grant alice " + grant.getGrantId() + " uses=1");
    }

    @Test
    void termsTheProcessorsNeverAcceptAreForgottenAfterTheReplayWindow() {
        // Given alice's signed grant on the decisions topic that the processors never accepted
        Grant unaccepted = TopologyHarness.signedGrant(alice, exchange, credential, "",
                List.of("country"), gateway.now(), 0L, 1);
        gateway.writeDecision("alice", new DecisionEvent(unaccepted));
        assertThat(gateway.entriesIn(GatewayStores.GRANTS)).as("grants known").isEqualTo(1);

        // Then it never shows
        assertThat(gateway.views.grants("alice")).isEmpty();

        // When the replay window (7 days) has passed, no acceptance can follow, and the gateway forgets it
        gateway.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(gateway.entriesIn(GatewayStores.GRANTS)).as("grants known").isZero();
    }
}
