package io.idstream.processors;

/** Thrown inside a processor to refuse the current record; caught by the processor, never by Kafka Streams. */
public final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RejectReason reason;

    public Rejection(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
