package io.idstream.platform;

/**
 * The platform cannot start or run, for a reason a user can act on; the message is one line that says what and
 * where (a port in use, a data dir that is not writable or belongs to another cluster).
 */
public class PlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
