package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying a request dated ahead: a request may be dated up to five minutes ahead of the processors' clock, and stays
 * fresh until its date leaves the replay window. Were its id forgotten a window after it was first seen, a captured
 * copy sent in the minutes between would be taken as new, and spend a grant's use a second time. The id is kept until
 * the request's own date leaves the window, after which the copy is refused as stale.
 */
@Timeout(60)
class FutureDatedReplayAttackTest {
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(10);

    TopologyHarness harness;
    Party alice;
    Party exchange;

    @BeforeEach
    void registerParties() throws Exception {
        harness = new TopologyHarness(Map.of(ProcessorsConfig.REPLAY_WINDOW_MS, REPLAY_WINDOW.toMillis()));
        alice = harness.register("alice", "holder");
        exchange = harness.register("exchange-a", "consumer");
        harness.deliveryTopics.add(exchange.id);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void aCopyOfARequestDatedAheadIsARepeatUntilItsOwnDateLeavesTheWindow() {
        AccessRequest aheadByFourMinutes = TopologyHarness.signedRequest(exchange, alice, "kyc", "",
                List.of("country"), harness.now() + Duration.ofMinutes(4).toMillis());
        harness.requests.pipeInput(alice.id, aheadByFourMinutes);
        assertThat(harness.rejections()).as("the request itself is taken").isEmpty();

        // A window and a minute later the request's own date is still inside the window.
        harness.advance(REPLAY_WINDOW.plusMinutes(1));
        harness.requests.pipeInput(alice.id, aheadByFourMinutes);
        assertThat(harness.rejections()).as("its copy, sent a window and a minute later")
                .extracting(RejectedRecord::reason).containsExactly("replay");

        // Once its date has left the window, a copy is stale.
        harness.advance(Duration.ofMinutes(4));
        harness.requests.pipeInput(alice.id, aheadByFourMinutes);
        assertThat(harness.rejections()).as("its copy, once its own date has left the window")
                .extracting(RejectedRecord::reason).containsExactly("stale");
    }
}
