package io.idstream.gateway.http;

import java.time.Duration;

/**
 * The bounds the HTTP layer enforces. {@link #defaults()} are the ones docs/protocol.md section 16 states: bodies of
 * at most 64 KiB, signatures created at most 60 s from the gateway's clock, nonces remembered for twice that window.
 *
 * @param maxBodyBytes          larger request bodies are refused with 413
 * @param clockSkew             how far a signature's {@code created} may be from the gateway's clock
 * @param noncesPerHolder       how many requests one holder may sign within twice the skew; more are refused with 429
 * @param keepAliveInterval     how often an idle event stream is sent a comment line, so proxies keep it open; the
 *                              same tick ends streams whose key was rotated or whose lifetime is over
 * @param queuedEventsPerStream how many events may wait for a slow reader before its stream is closed
 * @param idleTimeout           how long a connection may stay silent (longer than the keep-alive interval)
 * @param registrationsPerAddressPerMinute how many {@code POST /v1/holders} one source address may send a minute
 * @param registrationsPerMinute how many {@code POST /v1/holders} the instance takes a minute from all addresses
 * @param holdersWithNonces     how many holder ids the nonce cache may hold at once; above it 503
 * @param streamsPerHolder      how many event streams one holder may have open on the instance; the next gets 429
 * @param streams               how many event streams the instance holds open in total; the next gets 503
 * @param streamLifetime        how long an event stream lasts before the server ends it (the client reconnects with a
 *                              fresh signature)
 * @param connections           how many connections the instance accepts at once (more than {@code streams}, so that
 *                              a full set of streams leaves room for other requests)
 * @param requestDeadline       how long a client may take to send one request's headers and body
 * @param writesInFlight        how many registrations and decisions may wait for Kafka at once; above it 503
 */
public record GatewayLimits(int maxBodyBytes, Duration clockSkew, int noncesPerHolder, Duration keepAliveInterval,
                            int queuedEventsPerStream, Duration idleTimeout, int registrationsPerAddressPerMinute,
                            int registrationsPerMinute, int holdersWithNonces, int streamsPerHolder, int streams,
                            Duration streamLifetime, int connections, Duration requestDeadline, int writesInFlight) {
    public GatewayLimits {
        if (maxBodyBytes < 1 || noncesPerHolder < 1 || queuedEventsPerStream < 1
                || registrationsPerAddressPerMinute < 1 || registrationsPerMinute < 1 || holdersWithNonces < 1
                || streamsPerHolder < 1 || streams < 1 || connections < 1 || writesInFlight < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (idleTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("the idle timeout must be longer than the keep-alive interval");
        }
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(64 * 1024, Duration.ofSeconds(60), 1_000, Duration.ofSeconds(15), 256,
                Duration.ofSeconds(60), 10, 100, 100_000, 4, 10_000, Duration.ofMinutes(15), 20_000,
                Duration.ofSeconds(10), 1_024);
    }

    public GatewayLimits withNoncesPerHolder(int nonces) {
        return new GatewayLimits(maxBodyBytes, clockSkew, nonces, keepAliveInterval, queuedEventsPerStream,
                idleTimeout, registrationsPerAddressPerMinute, registrationsPerMinute, holdersWithNonces,
                streamsPerHolder, streams, streamLifetime, connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withKeepAliveInterval(Duration interval) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, interval, queuedEventsPerStream,
                idleTimeout.compareTo(interval) > 0 ? idleTimeout : interval.multipliedBy(4),
                registrationsPerAddressPerMinute, registrationsPerMinute, holdersWithNonces, streamsPerHolder,
                streams, streamLifetime, connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withQueuedEventsPerStream(int events) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, events, idleTimeout,
                registrationsPerAddressPerMinute, registrationsPerMinute, holdersWithNonces, streamsPerHolder,
                streams, streamLifetime, connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withRegistrationsPerMinute(int perAddress, int perInstance) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, queuedEventsPerStream,
                idleTimeout, perAddress, perInstance, holdersWithNonces, streamsPerHolder, streams, streamLifetime,
                connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withHoldersWithNonces(int holders) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, queuedEventsPerStream,
                idleTimeout, registrationsPerAddressPerMinute, registrationsPerMinute, holders, streamsPerHolder,
                streams, streamLifetime, connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withStreams(int perHolder, int total, Duration lifetime) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, queuedEventsPerStream,
                idleTimeout, registrationsPerAddressPerMinute, registrationsPerMinute, holdersWithNonces, perHolder,
                total, lifetime, connections, requestDeadline, writesInFlight);
    }

    public GatewayLimits withConnections(int maxConnections, Duration deadline) {
        return new GatewayLimits(maxBodyBytes, clockSkew, noncesPerHolder, keepAliveInterval, queuedEventsPerStream,
                idleTimeout, registrationsPerAddressPerMinute, registrationsPerMinute, holdersWithNonces,
                streamsPerHolder, streams, streamLifetime, maxConnections, deadline, writesInFlight);
    }
}
