package io.idstream.sdk.webhook;

import io.idstream.sdk.IdstreamException;

/** A webhook POST refused before its delivery is looked at: bad signature, stale time, malformed body. */
public class WebhookRejectedException extends IdstreamException {
    private static final long serialVersionUID = 1L;

    public WebhookRejectedException(String message) {
        super(message);
    }
}
