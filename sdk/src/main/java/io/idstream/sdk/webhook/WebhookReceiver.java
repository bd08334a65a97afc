package io.idstream.sdk.webhook;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;

import java.time.Clock;
import java.time.Duration;

/**
 * The consumer's side of the webhook: checks a POST's {@value WebhookSignature#HEADER} header (secret and time
 * window) before reading its body, then hands the delivery to the consumer's verifier, which decrypts it only if
 * the issuer's and the holder's signatures hold. Use from any HTTP server:
 * <pre>{@code
 * WebhookReceiver receiver = new WebhookReceiver(secret);
 * DeliveryOutcome outcome = receiver.receive(request.header("Idstream-Signature"), request.body(), consumerClient);
 * }</pre>
 * A {@link WebhookRejectedException} means answer 400 (a retry will not help); the sink then dead-letters the
 * record. Deliveries are at least once: drop a repeat by {@link WebhookPayload#id()}.
 */
public final class WebhookReceiver {
    private final String secret;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookReceiver(String secret) {
        this(secret, WebhookSignature.DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    public WebhookReceiver(String secret, Duration tolerance, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the webhook secret must not be empty");
        }
        this.secret = secret;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** The authenticated payload, still encrypted. */
    public WebhookPayload receive(String signatureHeader, byte[] body) {
        WebhookSignature.verify(signatureHeader, body, secret, tolerance, clock.instant());
        try {
            return WebhookPayload.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new WebhookRejectedException("malformed webhook body: " + e.getMessage());
        }
    }

    /** The authenticated payload, verified and decrypted by the consumer (or refused, with the failed check). */
    public DeliveryOutcome receive(String signatureHeader, byte[] body, ConsumerClient consumer) {
        return consumer.verify(receive(signatureHeader, body).event());
    }
}
