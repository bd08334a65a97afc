package io.idstream.gateway.views;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.processors.Party;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The holder's inbox as the gateway serves it: a request waits there until answered or expired, and no longer. */
@Timeout(120)
class InboxViewTopologyTest {
    private GatewayHarness gateway;
    private Party issuer;
    private Party alice;
    private Party exchange;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new GatewayHarness();
        issuer = gateway.accreditedIssuer();
        alice = gateway.register("alice", "holder");
        exchange = gateway.register("exchange-a", "consumer");
        gateway.issue(issuer, alice);
        gateway.passVault();
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void aRequestWaitsInTheInboxUntilTheHolderAnswersIt() {
        // Given a request the processors parked for alice's decision
        AccessRequest request = gateway.request(exchange, alice);
        gateway.passInbox();
        gateway.passAudit();

        // Then alice's inbox shows it, and the gateway told of it
        assertThat(gateway.views.inbox("alice", gateway.now())).extracting(p -> p.getRequest().getRequestId())
                .containsExactly(request.getRequestId());
        assertThat(gateway.changes.drain()).containsExactly("pending alice " + request.getRequestId(),
                "audit alice PENDING");

        // When she denies it and the processors audit the denial
        gateway.processors.deny(alice, request.getRequestId());
        gateway.passAudit();

        // Then it has left her inbox
        assertThat(gateway.views.inbox("alice", gateway.now())).isEmpty();
        assertThat(gateway.changes.drain()).containsExactly("audit alice DENIED");
    }

    @Test
    void anAnswerReadBeforeItsRequestStillKeepsTheRequestOutOfTheInbox() {
        // Given a request answered at once, whose answer the gateway reads before the request itself
        AccessRequest request = gateway.request(exchange, alice);
        gateway.processors.deny(alice, request.getRequestId());
        gateway.passAudit();
        assertThat(gateway.entriesIn(GatewayStores.ANSWERED)).as("requests marked answered").isEqualTo(1);

        // When the request is read
        gateway.passInbox();

        // Then it never shows, and its mark is spent
        assertThat(gateway.views.inbox("alice", gateway.now())).isEmpty();
        assertThat(gateway.entriesIn(GatewayStores.ANSWERED)).as("requests marked answered").isZero();
        assertThat(gateway.changes.drain()).containsExactly("audit alice PENDING", "audit alice DENIED");
    }

    @Test
    void anExpiredRequestIsNotShownAndIsRemovedOnceDue() {
        // Given a request waiting in alice's inbox, whose expiry the gateway has not been told of by the audit
        gateway.request(exchange, alice);
        gateway.passInbox();
        PendingRequest pending = gateway.views.inbox("alice", gateway.now()).get(0);

        // Then a read at its expiry does not show it
        assertThat(gateway.views.inbox("alice", pending.getExpiresAt())).isEmpty();

        // When the wall clock passes its expiry
        gateway.advance(Duration.ofMillis(pending.getExpiresAt() - gateway.now() + 1000));

        // Then the gateway has removed it, so that even a read from long before finds nothing
        assertThat(gateway.views.inbox("alice", 0L)).isEmpty();
        assertThat(gateway.entriesIn(GatewayStores.INBOX)).isZero();
    }

    @Test
    void aRequestUnderAnotherHoldersKeyIsNotShownToThatHolder() {
        // Given bob, and alice's genuine pending request written again under bob's key
        gateway.register("bob", "holder");
        gateway.request(exchange, alice);
        gateway.passInbox();
        PendingRequest alicesRequest = gateway.views.inbox("alice", gateway.now()).get(0);

        // When it is read
        gateway.writeInbox("bob", alicesRequest);

        // Then bob's inbox stays empty, and the record is counted as refused
        assertThat(gateway.views.inbox("bob", gateway.now())).isEmpty();
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(1.0);
    }
}
