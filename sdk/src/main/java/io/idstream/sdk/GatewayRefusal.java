package io.idstream.sdk;

/**
 * The holder gateway's refusal of a request: its HTTP status and the stable error code it answered with (for
 * example {@code 403 forbidden}, {@code 401 stale-signature}), and its message ("the gateway refused: 403
 * forbidden: ..."). Callers branch on {@link #code()}, never on the message.
 */
public final class GatewayRefusal extends IdstreamException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    GatewayRefusal(int status, String code, String detail) {
        super("the gateway refused: " + status + " " + code + ": " + detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
