package io.idstream.sdk.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AcceptedDeliveryIdsTest {
    @Test
    void beyondItsCapacityTheLeastRecentlySeenIdIsForgottenFirst() {
        AcceptedDeliveryIds ids = new AcceptedDeliveryIds(2);
        assertThat(ids.claim("t/0/1", 1_000, 0)).isTrue();
        assertThat(ids.claim("t/0/2", 1_000, 0)).isTrue();
        assertThat(ids.claim("t/0/1", 1_000, 0)).as("a repeat, now the most recently seen").isFalse();

        assertThat(ids.claim("t/0/3", 1_000, 0)).isTrue();

        assertThat(ids.size()).isEqualTo(2);
        assertThat(ids.claim("t/0/2", 1_000, 0)).as("forgotten to make room").isTrue();
        assertThat(ids.claim("t/0/3", 1_000, 0)).isFalse();
    }

    @Test
    void anIdIsForgottenOnceNoPostCarryingItCouldPassTheTimeCheck() {
        AcceptedDeliveryIds ids = new AcceptedDeliveryIds(10);
        ids.claim("t/0/1", 300, 0);
        ids.claim("t/0/2", 600, 0);

        assertThat(ids.claim("t/0/2", 600, 300)).as("still inside its window").isFalse();
        assertThat(ids.claim("t/0/3", 900, 301)).isTrue();

        assertThat(ids.size()).as("t/0/1 expired and dropped").isEqualTo(2);
        assertThat(ids.claim("t/0/1", 601, 301)).as("after its window: a new acceptance").isTrue();
    }

    @Test
    void anExpiredIdNotYetDroppedIsANewAcceptance() {
        AcceptedDeliveryIds ids = new AcceptedDeliveryIds(10);
        ids.claim("t/0/1", 300, 0);
        ids.claim("t/0/2", 600, 0);
        // Seen again, t/0/1 becomes the most recently seen; the still valid t/0/2 now comes first.
        assertThat(ids.claim("t/0/1", 300, 100)).isFalse();

        assertThat(ids.claim("t/0/1", 601, 301)).as("its window closed at 300").isTrue();
    }

    @Test
    void aReleasedClaimIsTakenAgain() {
        AcceptedDeliveryIds ids = new AcceptedDeliveryIds(10);
        ids.claim("t/0/1", 300, 0);
        ids.release("t/0/1");
        assertThat(ids.claim("t/0/1", 300, 0)).isTrue();
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new AcceptedDeliveryIds(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a receiver remembers at least one delivery id, not 0");
    }
}
