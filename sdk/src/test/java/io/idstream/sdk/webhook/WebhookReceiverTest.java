package io.idstream.sdk.webhook;

import io.idstream.avro.DeliveryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class WebhookReceiverTest {
    static final long NOW = 1_700_000_000L;
    final WebhookReceiver receiver = new WebhookReceiver(WebhookSignatureTest.SECRET, Duration.ofMinutes(5),
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    final WebhookPayload payload = new WebhookPayload(WebhookPayloadTest.TOPIC, 0, 7L, "alice",
            new DeliveryEvent(WebhookPayloadTest.delivery()));
    final byte[] body = payload.toJson();

    @Test
    void readsHeadersByNameAndReturnsTheAuthenticatedPayload() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW - 10, body);
        Map<String, String> request = Map.of("webhook-id", signed.id(), "webhook-timestamp", signed.timestamp(),
                "webhook-signature", signed.signature());

        WebhookPayload received = receiver.receive(WebhookHeaders.from(request::get), body);

        assertThat(received).isEqualTo(payload);
    }

    @Test
    void refusesAWebhookIdThatIsNotTheBodysId() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, "idstream%2Edeliveries%2Eother/0/7",
                NOW, body);
        assertThatThrownBy(() -> receiver.receive(signed, body)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("the webhook-id header is not the body's id");
    }

    @Test
    void refusesASignedBodyThatIsNoPayload() {
        byte[] garbage = "{\"version\":\"v0\"}".getBytes(StandardCharsets.UTF_8);
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW, garbage);
        assertThatThrownBy(() -> receiver.receive(signed, garbage)).isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("malformed webhook body: version must be");
    }

    @Test
    void refusesAnUnsignedPostBeforeReadingItsBody() {
        assertThatThrownBy(() -> receiver.receive(WebhookHeaders.from(name -> null), "not json".getBytes(
                StandardCharsets.UTF_8))).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("the webhook-id header is missing");
    }

    @Test
    void aSecretInTheOldFormatIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new WebhookReceiver("a shared secret of 16 characters or more"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whsec_")
                .hasMessageNotContaining("shared secret of");
    }
}
