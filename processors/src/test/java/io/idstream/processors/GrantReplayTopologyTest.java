package io.idstream.processors;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.ToBeSigned;
import io.idstream.mapping.GrantRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * When a grant may be taken (docs/protocol.md section 11): its signed {@code issuedAt} inside the replay window and
 * at most five minutes ahead; its id remembered until its own date has left the window, until it expires, and for as
 * long as it is active, so that no copy of a grant, and no new grant reusing its id, is taken while it could still
 * take effect.
 */
class GrantReplayTopologyTest extends RegisteredPartiesFixture {
    /** The processors' default {@code idstream.replay.window.ms}. */
    static final Duration REPLAY_WINDOW = Duration.ofDays(7);
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.deliveryTopics.add(exchange.id);
    }

    @Test
    void aGrantIssuedBeforeTheReplayWindowIsStaleOneIssuedAtItsStartIsTaken() {
        Grant tooOld = issuedAt(harness.now() - REPLAY_WINDOW.toMillis() - 1, 0L);
        decide(tooOld);
        decide(issuedAt(harness.now() - REPLAY_WINDOW.toMillis(), 0L));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("stale", "grant " + tooOld.getGrantId()
                        + " was issued before the replay window"));
    }

    @Test
    void aGrantDatedMoreThanFiveMinutesAheadIsFutureDatedOneDatedFiveMinutesAheadIsTaken() {
        Grant tooFarAhead = issuedAt(harness.now() + CLOCK_SKEW.toMillis() + 1, 0L);
        decide(tooFarAhead);
        decide(issuedAt(harness.now() + CLOCK_SKEW.toMillis(), 0L));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("future-dated", "grant " + tooFarAhead.getGrantId() + " is dated "
                        + (CLOCK_SKEW.toMillis() + 1) + " ms ahead of the processors' clock, more than the "
                        + CLOCK_SKEW.toMillis() + " ms allowed"));
    }

    @Test
    void aCopyOfAGrantDatedAheadIsARepeatUntilItsOwnDateLeavesTheWindow() {
        Grant aheadByFourMinutes = issuedAt(harness.now() + Duration.ofMinutes(4).toMillis(), 0L);
        decide(aheadByFourMinutes);
        harness.revokeGrant(alice, aheadByFourMinutes.getGrantId());
        assertThat(harness.rejections()).as("the grant and its revocation").isEmpty();

        harness.advance(REPLAY_WINDOW.plusMinutes(1));
        decide(aheadByFourMinutes);
        assertThat(harness.rejections()).as("its copy, a window and a minute later")
                .extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("replay", "grant:" + aheadByFourMinutes.getGrantId() + " was already used"));

        harness.advance(Duration.ofMinutes(4));
        decide(aheadByFourMinutes);
        assertThat(harness.rejections()).as("its copy, once its own date has left the window")
                .extracting(RejectedRecord::reason).containsExactly("stale");
    }

    @Test
    void theIdOfARevokedGrantIsKeptUntilItWouldHaveExpired() {
        Grant forThirtyDays = issuedAt(harness.now(), harness.now() + Duration.ofDays(30).toMillis());
        decide(forThirtyDays);
        harness.revokeGrant(alice, forThirtyDays.getGrantId());
        harness.advance(REPLAY_WINDOW.plusMinutes(1));

        // The holder's client signs a new grant under the old id: fresh, so only the kept id refuses it.
        decide(reissuedNow(forThirtyDays));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("replay", "grant:" + forThirtyDays.getGrantId() + " was already used"));
    }

    @Test
    void theIdOfAnActiveGrantIsNeverTakenAgain() {
        Grant forEver = issuedAt(harness.now(), 0L);
        decide(forEver);
        harness.advance(REPLAY_WINDOW.plusMinutes(1));

        decide(reissuedNow(forEver));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("replay", "grant " + forEver.getGrantId() + " is already active"));
    }

    /** Alice's standing grant of country to exchange-a, signed as issued at {@code issuedAt}, any number of uses. */
    private Grant issuedAt(long issuedAt, long expiresAt) {
        return TopologyHarness.signedGrant(alice, exchange, credential, "", "onboarding", List.of("country"),
                issuedAt, Math.min(issuedAt, harness.now()), expiresAt, 0);
    }

    /** The same grant id and terms, signed again by alice as issued now. */
    private Grant reissuedNow(Grant grant) {
        Grant reissued = Grant.newBuilder(grant).setIssuedAt(harness.now()).build();
        return Grant.newBuilder(reissued).setSignature(ByteBuffer.wrap(alice.signing.sign(
                ToBeSigned.grant(GrantRecords.statement(reissued))))).build();
    }

    private void decide(Grant grant) {
        harness.decisions.pipeInput(alice.id, new DecisionEvent(grant));
    }
}
