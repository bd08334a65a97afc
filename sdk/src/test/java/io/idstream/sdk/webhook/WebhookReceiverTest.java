package io.idstream.sdk.webhook;

import io.idstream.avro.DeliveryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
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
    void refusesATamperedBodyThatIsStillAWellFormedPayload() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW, body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"key\":\"alice\"", "\"key\":\"mallory\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookPayload.fromJson(tampered).key()).as("the forgery parses").isEqualTo("mallory");

        assertThatThrownBy(() -> receiver.receive(signed, tampered)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("bad signature: none matches the id, timestamp, body and secret");
    }

    @Test
    void refusesAPostSignedWithAnotherSecret() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSecret.parse("whsec_" + "B".repeat(32)),
                payload.webhookId(), NOW, body);

        assertThatThrownBy(() -> receiver.receive(signed, body)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("bad signature: none matches the id, timestamp, body and secret");
    }

    @Test
    void refusesAStaleTimestampByItsOwnClock() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW - 301, body);

        assertThatThrownBy(() -> receiver.receive(signed, body)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("the webhook-timestamp is too old: 301 s before now, beyond the 300 s tolerance");
        WebhookHeaders edge = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW - 300, body);
        assertThat(receiver.receive(edge, body)).as("exactly the tolerance old").isEqualTo(payload);
    }

    @Test
    void refusesAFutureTimestampByItsOwnClock() {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW + 301, body);

        assertThatThrownBy(() -> receiver.receive(signed, body)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("the webhook-timestamp is too new: 301 s after now, beyond the 300 s tolerance");
        WebhookHeaders edge = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW + 300, body);
        assertThat(receiver.receive(edge, body)).as("exactly the tolerance ahead").isEqualTo(payload);
    }

    @Test
    void refusesASignedBodyThatIsNoJson() {
        byte[] truncated = Arrays.copyOf(body, body.length / 2);
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), NOW, truncated);

        assertThatThrownBy(() -> receiver.receive(signed, truncated)).isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("malformed webhook body: the body is not JSON: ");
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
