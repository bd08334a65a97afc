package io.idstream.it.attacks;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.webhook.WebhookHeaders;
import io.idstream.sdk.webhook.WebhookPayload;
import io.idstream.sdk.webhook.WebhookReceiver;
import io.idstream.sdk.webhook.WebhookRepeatException;
import io.idstream.sdk.webhook.WebhookSecret;
import io.idstream.sdk.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attack: someone who captured a signed webhook POST on its way (a proxy's log, a shared network) sends it again
 * while its timestamp is still inside the receiver's five-minute window, so that the consumer processes the same
 * delivery twice (a second account opening, a second use counted). Defence: {@link WebhookReceiver} remembers the
 * delivery ids it handed to the consumer for as long as a POST with that id could still pass the time check, and
 * answers a repeat with {@link WebhookRepeatException} instead of handing it on (docs/webhook.md, "Repeats").
 */
@Timeout(30)
class WebhookReplayAttackTest {
    static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final long NOW = 1_700_000_000L;

    final MovableClock clock = new MovableClock(NOW);
    final WebhookReceiver receiver = new WebhookReceiver(SECRET, Duration.ofMinutes(5), clock);
    final CountingConsumer consumer = new CountingConsumer();
    final WebhookPayload payload = new WebhookPayload("idstream.deliveries.exchange-a", 0, 42L, "alice",
            new DeliveryEvent(new ConsumerNotice(NoticeKind.PENDING, "exchange-a", "alice", "r-42", "", "",
                    "waiting for the holder", NOW * 1000, null)));
    final byte[] body = payload.toJson();

    @Test
    void theSameSignedPostSentTwiceIsHandedToTheConsumerOnce() {
        WebhookHeaders captured = sign(NOW - 10);
        assertThat(receiver.receive(captured, body, consumer)).isInstanceOf(DeliveryOutcome.Notice.class);

        clock.advanceSeconds(60);

        assertThatThrownBy(() -> receiver.receive(captured, body, consumer))
                .isInstanceOf(WebhookRepeatException.class)
                .hasMessage("delivery idstream.deliveries.exchange-a/0/42 was already accepted: answer 2xx and do "
                        + "not process it again");
        assertThat(consumer.handed()).as("request ids handed to the consumer").containsExactly("r-42");
    }

    @Test
    void aReplayOfTheSinksRetryIsCaughtUntilTheRetryItselfIsTooOld() {
        // The sink's retry of the same record (a lost answer): same id, a new timestamp and signature.
        WebhookHeaders first = sign(NOW);
        receiver.receive(first, body, consumer);
        clock.advanceSeconds(200);
        WebhookHeaders retry = sign(NOW + 200);
        assertThatThrownBy(() -> receiver.receive(retry, body, consumer)).isInstanceOf(WebhookRepeatException.class);

        // The first POST is now too old to pass; the retry, captured, is not yet.
        clock.advanceSeconds(200);
        assertThatThrownBy(() -> receiver.receive(retry, body, consumer)).isInstanceOf(WebhookRepeatException.class);

        assertThat(consumer.handed()).containsExactly("r-42");
    }

    @Test
    void aDeliveryTheConsumerFailedOnIsHandedOnAgainWhenRetried() {
        WebhookHeaders first = sign(NOW);
        CountingConsumer failing = new CountingConsumer() {
            @Override
            public DeliveryOutcome apply(DeliveryEvent event) {
                super.apply(event);
                throw new IllegalStateException("the directory is unreachable");
            }
        };
        assertThatThrownBy(() -> receiver.receive(first, body, failing)).isInstanceOf(IllegalStateException.class);

        assertThat(receiver.receive(sign(NOW + 5), body, consumer)).as("the sink's retry after a 503")
                .isInstanceOf(DeliveryOutcome.Notice.class);
        assertThat(consumer.handed()).containsExactly("r-42");
    }

    private WebhookHeaders sign(long unixSeconds) {
        return WebhookSignature.sign(WebhookSecret.parse(SECRET), payload.webhookId(), unixSeconds, body);
    }

    /** The consumer's verification, counting what it is handed. */
    static class CountingConsumer implements Function<DeliveryEvent, DeliveryOutcome> {
        private final List<String> handed = new ArrayList<>();

        @Override
        public DeliveryOutcome apply(DeliveryEvent event) {
            ConsumerNotice notice = (ConsumerNotice) event.getEvent();
            handed.add(notice.getRequestId());
            return new DeliveryOutcome.Notice(notice.getRequestId(), notice.getKind(), notice.getHolderId(),
                    notice.getGrantId(), notice.getCredentialId(), notice.getReason());
        }

        List<String> handed() {
            return List.copyOf(handed);
        }
    }

    /** A clock the test moves on. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(long unixSeconds) {
            now = Instant.ofEpochSecond(unixSeconds);
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
