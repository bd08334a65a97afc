package io.idstream.gateway.http;

import java.time.Duration;

/**
 * The bounds the HTTP layer enforces. {@link #defaults()} are the ones docs/protocol.md section 16 states: bodies of
 * at most 64 KiB, signatures created at most 60 s from the gateway's clock, nonces remembered for twice that window.
 *
 * @param maxBodyBytes        larger request bodies are refused with 413
 * @param clockSkew           how far a signature's {@code created} may be from the gateway's clock
 * @param noncesPerHolder     how many requests one holder may sign within twice the skew; more are refused with 429
 * @param keepAliveInterval   how often an idle event stream is sent a comment line, so proxies keep it open
 * @param queuedEventsPerStream how many events may wait for a slow reader before its stream is closed
 * @param idleTimeout         how long a connection may stay silent (longer than the keep-alive interval)
 */
public record GatewayLimits(int maxBodyBytes, Duration clockSkew, int noncesPerHolder, Duration keepAliveInterval,
                            int queuedEventsPerStream, Duration idleTimeout) {
    public GatewayLimits {
        if (maxBodyBytes < 1 || noncesPerHolder < 1 || queuedEventsPerStream < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (idleTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("the idle timeout must be longer than the keep-alive interval");
        }
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(64 * 1024, Duration.ofSeconds(60), 1_000, Duration.ofSeconds(15), 256,
                Duration.ofSeconds(60));
    }

    public GatewayLimits withNoncesPerHolder(int nonces) {
        return new GatewayLimits(maxBodyBytes, clockSkew, nonces, keepAliveInterval, queuedEventsPerStream,
                idleTimeout);
    }

    public GatewayLimits withKeepAliveInterval(Duration interval) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, interval, queuedEventsPerStream,
                idleTimeout.compareTo(interval) > 0 ? idleTimeout : interval.multipliedBy(4));
    }

    public GatewayLimits withQueuedEventsPerStream(int events) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, events, idleTimeout);
    }
}
