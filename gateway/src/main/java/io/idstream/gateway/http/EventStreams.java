package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.gateway.views.HolderChanges;
import io.idstream.gateway.views.HolderViews;
import io.idstream.mapping.AvroJson;
import io.idstream.topics.HolderKeys;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The open event streams of this instance's holders, told of each change by the topology ({@link HolderChanges}):
 * a change becomes an {@code inbox}, {@code consent-request}, {@code audit} or {@code grant} event queued on each stream of its holder,
 * without blocking the stream thread that made it. Every {@code keepAliveInterval} each stream gets a comment line,
 * which keeps idle connections open through proxies and finds the ones whose reader went away; the same tick ends a
 * stream whose holder's signing key is no longer the one it was opened under (the key was rotated, so the signature
 * that opened it no longer speaks for her) and a stream older than {@link GatewayLimits#streamLifetime()}, after
 * which the client reconnects with a fresh signature. A holder may have {@link GatewayLimits#streamsPerHolder()}
 * streams open (the next is refused with 429) and the instance {@link GatewayLimits#streams()} (503).
 */
public final class EventStreams implements HolderChanges, AutoCloseable {
    private final GatewayLimits limits;
    private final Map<String, Set<EventStream>> byHolder = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final PartitionTakeovers takeovers;
    private final Clock clock;
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gateway-event-keepalive");
        thread.setDaemon(true);
        return thread;
    });

    public EventStreams(GatewayLimits limits) {
        this(limits, Clock.systemUTC());
    }

    /** @param clock the clock a partition's takeover is timed by: the one the gateway's server checks requests by */
    public EventStreams(GatewayLimits limits, Clock clock) {
        this.limits = limits;
        this.takeovers = new PartitionTakeovers(clock);
        this.clock = clock;
        long interval = limits.keepAliveInterval().toMillis();
        keepAlive.scheduleAtFixedRate(this::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** How many streams are open on this instance. */
    public int openStreams() {
        return open.get();
    }

    @Override
    public void requestPending(String holderId, PendingRequest request) {
        publish(holderId, "inbox", AvroJson.toJson(request));
    }

    @Override
    public void consentRequested(String holderId, ConsentRequest request) {
        publish(holderId, "consent-request", AvroJson.toJson(request));
    }

    @Override
    public void audited(String holderId, HolderViews.AuditEntry entry) {
        publish(holderId, "audit", HolderJson.auditEntry(entry));
    }

    @Override
    public void grantChanged(String holderId, String grantId, HolderViews.ActiveGrant grantOrNull) {
        ObjectNode data = JsonResponses.MAPPER.createObjectNode();
        data.put("grantId", grantId);
        data.set("grant", grantOrNull == null ? data.nullNode() : HolderJson.activeGrant(grantOrNull));
        publish(holderId, "grant", data);
    }

    @Override
    public void partitionAssigned(int partition, int partitions) {
        takeovers.assigned(partition, partitions);
    }

    /**
     * Ends the streams of the partition's holders: their changes are now made on another instance, so the reader
     * reconnects, and is forwarded there.
     */
    @Override
    public void partitionRevoked(int partition, int partitions) {
        takeovers.revoked(partition, partitions);
        byHolder.forEach((holderId, streams) -> {
            if (HolderKeys.partitionOf(holderId, partitions) == partition) {
                streams.forEach(EventStream::finish);
            }
        });
    }

    PartitionTakeovers takeovers() {
        return takeovers;
    }

    /**
     * Starts a stream for the holder, opened by a request signed under {@code signingKey}: the response stays open
     * until the reader leaves, the server stops, {@code stillBound} says the key is no longer the holder's, or its
     * lifetime is over. Refused with 429 when the holder has her share of streams open, 503 when the instance has.
     */
    void open(String holderId, BooleanSupplier stillBound, Request request, Response response, Callback callback) {
        EventStream stream = new EventStream(holderId, response, callback, limits.queuedEventsPerStream(),
                this::closed, stillBound, clock.millis() + limits.streamLifetime().toMillis());
        if (open.incrementAndGet() > limits.streams()) {
            open.decrementAndGet();
            throw ApiError.unavailable("this gateway instance holds as many event streams as it may");
        }
        boolean[] admitted = {false};
        byHolder.compute(holderId, (id, streams) -> {
            Set<EventStream> mine = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            if (mine.size() < limits.streamsPerHolder()) {
                mine.add(stream);
                admitted[0] = true;
            }
            return mine.isEmpty() ? null : mine;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw ApiError.tooManyRequests("the holder has " + limits.streamsPerHolder()
                    + " event streams open on this instance", limits.keepAliveInterval().toSeconds());
        }
        request.addFailureListener(stream::fail);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // The first write sends the headers, so that the reader knows the stream is open.
        stream.send(": open\n\n");
    }

    private void keepAlive() {
        long now = clock.millis();
        byHolder.values().forEach(streams -> streams.forEach(stream -> {
            if (stream.over(now)) {
                stream.finish();
            } else {
                stream.send(": keepalive\n\n");
            }
        }));
    }

    private void publish(String holderId, String event, JsonNode data) {
        Set<EventStream> streams = byHolder.get(holderId);
        if (streams == null || streams.isEmpty()) {
            return;
        }
        String frame = "event: " + event + "\ndata: " + data + "\n\n";
        streams.forEach(stream -> stream.send(frame));
    }

    private void closed(EventStream stream) {
        byHolder.computeIfPresent(stream.holderId, (id, streams) -> {
            if (streams.remove(stream)) {
                open.decrementAndGet();
            }
            return streams.isEmpty() ? null : streams;
        });
    }

    /** Ends every open stream and stops the keep-alives. */
    @Override
    public void close() {
        keepAlive.shutdownNow();
        byHolder.values().forEach(streams -> streams.forEach(EventStream::finish));
    }
}
