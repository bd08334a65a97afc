package io.idstream.connectors.webhook;

import org.apache.kafka.connect.errors.ConnectException;

/** Why a record went to the dead-letter topic instead of the webhook; Connect copies the message into its headers. */
public class WebhookDeliveryException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public WebhookDeliveryException(String message) {
        super(message);
    }
}
