package io.idstream.schemas.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The registry could not be asked (unreachable, timed out, failing): the record may be fine, so a caller retries
 * rather than treating it as poison.
 */
public class RegistryUnavailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
