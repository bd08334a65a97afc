package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What uses and time end (docs/protocol.md section 11): a grant's last use ends it and tells the holder once; a grant
 * without a use limit or an expiry goes on; the expiry punctuation ends a grant at the millisecond it expires and an
 * unanswered request at the end of its time to live, never earlier, telling both sides and the audit; a used request
 * id is refused as a replay for the replay window and forgotten after it, when the request is refused as stale
 * instead. The punctuation runs every second here, on the driver's wall clock.
 */
class UsesAndExpiryTopologyTest extends RegisteredPartiesFixture {
    static final Duration PUNCTUATION = Duration.ofSeconds(1);
    static final Duration PENDING_TTL = Duration.ofDays(7);
    static final Duration REPLAY_WINDOW = Duration.ofDays(7);

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() {
        assertThat(harness.config.pendingTtlMs()).isEqualTo(PENDING_TTL.toMillis());
        assertThat(harness.config.replayWindowMs()).isEqualTo(REPLAY_WINDOW.toMillis());
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        harness.inbox.readValuesToList();
    }

    @Test
    void theLastUseEndsTheGrantAndTellsTheHolderOnce() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 2);

        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(holderNotices()).as("Alice's notices after the first use").isEmpty();
        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(holderNotices()).as("Alice's notices after the second use")
                .extracting(HolderNotice::getKind, HolderNotice::getGrantId)
                .containsExactly(tuple(HolderNoticeKind.GRANT_EXHAUSTED, grant.getGrantId()));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).hasSize(2);
        assertThat(outcomeCount(AuditOutcome.DELIVERED)).as("deliveries counted").isEqualTo(2.0);

        AccessRequest third = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getRequestId).containsExactly(tuple(NoticeKind.PENDING, third.getRequestId()));
        // the spent grant is gone, not merely unable to serve
        harness.revokeGrant(alice, grant.getGrantId());
        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("unknown-grant");
    }

    @Test
    void aGrantWithEveryUseSpentServesNothingEvenIfItWereStillStored() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 2);
        // The last use deletes a grant; the check at request time must not depend on that: here the store keeps it.
        KeyValueStore<String, GrantState> grants = harness.driver.getKeyValueStore(StoreNames.GRANTS);
        grants.put(HolderKeys.of(alice.id, grant.getGrantId()), new GrantState(grant, 2, harness.now(),
                ByteBuffer.allocate(0), ByteBuffer.allocate(0)));

        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));

        assertThat(harness.deliveriesOf(exchange)).map(DeliveryEvent::getEvent).as("exchange-a's answer")
                .singleElement().isInstanceOfSatisfying(ConsumerNotice.class, n -> {
                    assertThat(n.getKind()).isEqualTo(NoticeKind.PENDING);
                    assertThat(n.getRequestId()).isEqualTo(request.getRequestId());
                });
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void aGrantWithoutUseLimitOrExpiryServesOnThroughThePunctuations() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        for (int i = 0; i < 3; i++) {
            harness.advance(PUNCTUATION);
            harness.request(exchange, alice, "kyc", List.of("country"));
        }

        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(d -> d.getGrant().getGrantId())
                .containsExactly(grant.getGrantId(), grant.getGrantId(), grant.getGrantId());
        assertThat(holderNotices()).as("Alice's notices").isEmpty();
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void theExpiryPunctuationEndsAGrantAtTheMillisecondItExpiresAndTellsEveryone() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofHours(1), 0);
        harness.audit.readValuesToList();

        harness.advance(Duration.ofHours(1).minusMillis(1));
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic a millisecond before expiry").isEmpty();
        harness.advance(Duration.ofMillis(1));

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getGrantId).containsExactly(tuple(NoticeKind.EXPIRED, grant.getGrantId()));
        assertThat(holderNotices()).extracting(HolderNotice::getKind, HolderNotice::getGrantId)
                .containsExactly(tuple(HolderNoticeKind.GRANT_EXPIRED, grant.getGrantId()));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome, AccessAudit::getGrantId)
                .containsExactly(tuple(AuditOutcome.EXPIRED, grant.getGrantId()));
    }

    @Test
    void anUnansweredRequestExpiresAtTheEndOfItsTimeToLiveAndNotBefore() {
        AccessRequest request = harness.request(app, alice, "kyc", List.of("kyc_level"));
        harness.deliveriesOf(app);
        harness.inbox.readValuesToList();
        harness.audit.readValuesToList();

        harness.advance(PENDING_TTL.minusMillis(1));
        assertThat(harness.deliveriesOf(app)).as("app-b's topic a millisecond before the end").isEmpty();
        harness.advance(Duration.ofMillis(1));

        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getRequestId).containsExactly(tuple(NoticeKind.EXPIRED, request.getRequestId()));
        assertThat(holderNotices()).extracting(HolderNotice::getKind, HolderNotice::getRequestId)
                .containsExactly(tuple(HolderNoticeKind.REQUEST_EXPIRED, request.getRequestId()));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome, AccessAudit::getRequestId)
                .containsExactly(tuple(AuditOutcome.EXPIRED, request.getRequestId()));
    }

    @Test
    void aUsedRequestIdIsAReplayForTheReplayWindowThenForgottenAndTheRequestStale() {
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(seenIds()).as("ids remembered").hasSize(1);

        harness.advance(PUNCTUATION);
        harness.requests.pipeInput(alice.id, request);
        assertThat(harness.rejections()).as("the request again, a second later")
                .extracting(RejectedRecord::reason).containsExactly("replay");

        // the punctuation at the window's end keeps an id used at its very start
        harness.advance(REPLAY_WINDOW.minus(PUNCTUATION));
        assertThat(seenIds()).as("ids remembered at the end of the window").hasSize(1);
        harness.advance(PUNCTUATION);
        assertThat(seenIds()).as("ids remembered past the window").isEmpty();

        harness.requests.pipeInput(alice.id, request);
        assertThat(harness.rejections()).as("the request again, past the window")
                .extracting(RejectedRecord::reason).containsExactly("stale");
    }

    private List<HolderNotice> holderNotices() {
        return harness.inbox.readValuesToList().stream().map(InboxEvent::getEvent)
                .filter(HolderNotice.class::isInstance).map(HolderNotice.class::cast).toList();
    }

    /** The used ids the access processor keeps; the replay window bounds how many it holds. */
    /** The requests' ids remembered; the holders' write grants of the set-up are remembered too. */
    private List<String> seenIds() {
        KeyValueStore<String, Long> store = harness.driver.getKeyValueStore(StoreNames.SEEN_IDS);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.contains("/request:")) {
                    keys.add(entry.key);
                }
            });
        }
        return keys;
    }

    private double outcomeCount(AuditOutcome outcome) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : harness.driver.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("outcomes-total") && outcome.name().equals(name.tags().get("outcome"))) {
                total += (Double) entry.getValue().metricValue();
            }
        }
        return total;
    }
}
