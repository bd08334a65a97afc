package io.idstream.sdk.webhook;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;

import java.time.Clock;
import java.time.Duration;

/**
 * The consumer's side of the webhook: checks a POST's Standard Webhooks headers ({@link WebhookHeaders}: id, time
 * window of five minutes either side, signature with the shared {@code whsec_} secret) before reading its body,
 * then hands the delivery to the consumer's verifier, which decrypts it only if the issuer's and the holder's
 * signatures hold. Use from any HTTP server:
 * <pre>{@code
 * WebhookReceiver receiver = new WebhookReceiver(secret); // "whsec_..."
 * DeliveryOutcome outcome = receiver.receive(WebhookHeaders.from(request::getHeader), request.body(), consumerClient);
 * }</pre>
 * A {@link WebhookRejectedException} means answer 400 (a retry will not help); the sink then dead-letters the
 * record. Deliveries are at least once: drop a repeat by {@link WebhookPayload#id()}.
 */
public final class WebhookReceiver {
    private final WebhookSecret secret;
    private final Duration tolerance;
    private final Clock clock;

    /** A receiver of POSTs signed with {@code secret}, {@code whsec_<base64 key>}. */
    public WebhookReceiver(String secret) {
        this(secret, WebhookSignature.DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    public WebhookReceiver(String secret, Duration tolerance, Clock clock) {
        this.secret = WebhookSecret.parse(secret);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** The authenticated payload, still encrypted. */
    public WebhookPayload receive(WebhookHeaders headers, byte[] body) {
        WebhookSignature.verify(headers, body, secret, tolerance, clock.instant());
        WebhookPayload payload;
        try {
            payload = WebhookPayload.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new WebhookRejectedException("malformed webhook body: " + e.getMessage());
        }
        // Both are signed; a mismatch is a sender's bug, and a repeat must be the same by either id.
        if (!payload.webhookId().equals(headers.id())) {
            throw new WebhookRejectedException("the " + WebhookHeaders.ID + " header is not the body's id");
        }
        return payload;
    }

    /** The authenticated payload, verified and decrypted by the consumer (or refused, with the failed check). */
    public DeliveryOutcome receive(WebhookHeaders headers, byte[] body, ConsumerClient consumer) {
        return consumer.verify(receive(headers, body).event());
    }
}
