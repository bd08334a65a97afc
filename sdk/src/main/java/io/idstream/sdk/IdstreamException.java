package io.idstream.sdk;

/** A client operation that was refused or could not complete; the message says which and why, never a secret. */
public class IdstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IdstreamException(String message) {
        super(message);
    }

    public IdstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
