package io.idstream.sdk.webhook;

import io.idstream.avro.DeliveryEvent;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The consumer's side of the webhook: checks a POST's Standard Webhooks headers ({@link WebhookHeaders}: id, time
 * window of five minutes either side, signature with the shared {@code whsec_} secret) before reading its body,
 * then hands the delivery to the consumer's verifier, which decrypts it only if the issuer's and the holder's
 * signatures hold. Use from any HTTP server:
 * <pre>{@code
 * WebhookReceiver receiver = new WebhookReceiver(secret); // "whsec_..."
 * DeliveryOutcome outcome = receiver.receive(WebhookHeaders.from(request::getHeader), request.body(), consumerClient,
 *         outcome -> database.save(outcome));
 * }</pre>
 * A {@link WebhookRepeatException} means a delivery id this receiver already handed to the consumer (the
 * sink's retry after a lost answer, or a replay of a captured POST): answer 2xx and do nothing. Any other
 * {@link WebhookRejectedException} means answer 400 (a retry will not help); the sink then dead-letters the record.
 * The receiver remembers each id for as long as a POST with it could pass the time check (up to
 * {@link #DEFAULT_REMEMBERED_IDS} ids, in this process only); a repeat beyond that, such as the sink resuming from
 * older offsets after a restart, is the consumer's to drop by {@link WebhookPayload#id()}.
 */
public final class WebhookReceiver {
    /** How many delivery ids a receiver remembers by default: some 20 MB at most. */
    public static final int DEFAULT_REMEMBERED_IDS = 100_000;

    private final WebhookSecret secret;
    private final Duration tolerance;
    private final Clock clock;
    private final AcceptedDeliveryIds accepted;

    /** A receiver of POSTs signed with {@code secret}, {@code whsec_<base64 key>}. */
    public WebhookReceiver(String secret) {
        this(secret, WebhookSignature.DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    public WebhookReceiver(String secret, Duration tolerance, Clock clock) {
        this(secret, tolerance, clock, DEFAULT_REMEMBERED_IDS);
    }

    /** A receiver that remembers up to {@code rememberedIds} delivery ids to drop repeats by. */
    public WebhookReceiver(String secret, Duration tolerance, Clock clock, int rememberedIds) {
        this.secret = WebhookSecret.parse(secret);
        this.tolerance = tolerance;
        this.clock = clock;
        this.accepted = new AcceptedDeliveryIds(rememberedIds);
    }

    /**
     * The authenticated payload, still encrypted. Remembers nothing: for code that inspects a POST; an endpoint
     * that processes deliveries hands them on with {@link #receive(WebhookHeaders, byte[], ConsumerClient)}, which
     * drops repeats.
     */
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

    /**
     * The authenticated payload, verified and decrypted by the consumer (or refused, with the failed check); a
     * {@link WebhookRepeatException} if its delivery id was already handed to the consumer.
     */
    public DeliveryOutcome receive(WebhookHeaders headers, byte[] body, ConsumerClient consumer) {
        return receive(headers, body, consumer, outcome -> { });
    }

    /**
     * As {@link #receive(WebhookHeaders, byte[], ConsumerClient)}, then hands the outcome to {@code store}, the
     * endpoint's keeping of it, before the delivery id counts as accepted: if {@code store} throws (and the endpoint
     * answers 5xx), the sink's retry is handed on again instead of being dropped as a repeat, and the consumer takes
     * it, the record at the same position of its delivery topic, as the same answer to its request.
     */
    public DeliveryOutcome receive(WebhookHeaders headers, byte[] body, ConsumerClient consumer,
                                   Consumer<DeliveryOutcome> store) {
        WebhookPayload payload = receive(headers, body);
        String position = WebhookPayload.id(payload.topic(), payload.partition(), payload.offset());
        return handOnce(headers, payload, event -> {
            DeliveryOutcome outcome = consumer.verify(event, position);
            store.accept(outcome);
            return outcome;
        });
    }

    /**
     * The authenticated payload handed to {@code verification} once per delivery id; a repeat throws
     * {@link WebhookRepeatException} without handing it on. If {@code verification} throws, the id is not taken as
     * accepted, so that the sink's retry is handed on.
     */
    public DeliveryOutcome receive(WebhookHeaders headers, byte[] body,
                                   Function<DeliveryEvent, DeliveryOutcome> verification) {
        return handOnce(headers, receive(headers, body), verification);
    }

    private DeliveryOutcome handOnce(WebhookHeaders headers, WebhookPayload payload,
                                     Function<DeliveryEvent, DeliveryOutcome> verification) {
        // The signed timestamp passed the check above, so it parses; a POST with it is too old after this second.
        long expiresAt = Long.parseLong(headers.timestamp().strip()) + tolerance.toSeconds();
        if (!accepted.claim(payload.id(), expiresAt, clock.instant().getEpochSecond())) {
            throw new WebhookRepeatException(payload.id());
        }
        try {
            return verification.apply(payload.event());
        } catch (RuntimeException | Error e) {
            accepted.release(payload.id());
            throw e;
        }
    }
}
