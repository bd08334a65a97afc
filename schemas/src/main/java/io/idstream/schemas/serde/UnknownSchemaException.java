package io.idstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record names a schema id that the registry does not have: the record can never be read, whenever it is retried. */
public class UnknownSchemaException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public UnknownSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
