package io.idstream.schemas.registry;

/**
 * A Schema Registry request that failed: either the registry answered with an error (then {@link #httpStatus()} and
 * {@link #errorCode()} carry Confluent's status and {@code error_code}, such as 404 / 40401 for an unknown subject),
 * or it could not be reached (both are -1).
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
