package io.idstream.platform.growth;

/**
 * A growth that was not started, for a reason the operator can act on (a partition count that is not a multiple of
 * the current one, processors or gateways still running); the message is one line that says which.
 */
public final class GrowthRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GrowthRefusedException(String message) {
        super(message);
    }
}
