package io.idstream.sdk.webhook;

import java.util.function.Function;

/**
 * The three Standard Webhooks headers of one POST: {@value #ID} (the same on every retry of a record, so a receiver
 * drops a repeat by it), {@value #TIMESTAMP} (unix seconds of this attempt) and {@value #SIGNATURE} (a space-separated
 * list of {@code v1,<base64 HMAC-SHA256>}). Read them from any HTTP server with {@link #from}, e.g.
 * {@code WebhookHeaders.from(request::getHeader)}; a header that is absent is {@code null}.
 */
public record WebhookHeaders(String id, String timestamp, String signature) {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    /** The headers by a lookup of one header's value by its name (HTTP header names are case-insensitive). */
    public static WebhookHeaders from(Function<String, String> header) {
        return new WebhookHeaders(header.apply(ID), header.apply(TIMESTAMP), header.apply(SIGNATURE));
    }
}
