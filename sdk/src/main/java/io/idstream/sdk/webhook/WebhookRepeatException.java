package io.idstream.sdk.webhook;

/**
 * A POST whose delivery id this receiver has already handed to the consumer: the sink's retry after an answer that
 * got lost, or someone replaying a captured POST inside the time window. Its delivery is not handed on again.
 * Answer {@code 2xx}, so the sink moves on; it is a {@link WebhookRejectedException} only so that an endpoint that
 * does not tell the two apart answers {@code 400}, which dead-letters the repeat instead of having it retried.
 */
public class WebhookRepeatException extends WebhookRejectedException {
    private static final long serialVersionUID = 1L;

    private final String deliveryId;

    public WebhookRepeatException(String deliveryId) {
        super("delivery " + deliveryId + " was already accepted: answer 2xx and do not process it again");
        this.deliveryId = deliveryId;
    }

    /** The delivery's id, {@code <topic>/<partition>/<offset>}, as in the body. */
    public String deliveryId() {
        return deliveryId;
    }
}
