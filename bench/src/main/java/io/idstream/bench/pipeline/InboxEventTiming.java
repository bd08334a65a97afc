package io.idstream.bench.pipeline;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.DecisionEvent;
import io.idstream.mapping.DecisionRecords;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.GatewayEvents;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The holder views bench's last figure, the time from a consumer's signed request to the {@code inbox} event on the
 * holder's event stream: kept apart from the page reads because it drives a consumer, a stream and the holder's
 * decisions, each gateway call within the same {@link CallBudget} as the reads.
 */
final class InboxEventTiming {
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(3);
    private static final int CONNECT_ATTEMPTS = 5;
    private static final List<String> ASKED_FIELDS = HolderViewsBenchmark.ASKED_FIELDS;

    private final CallBudget budget;
    private final int warmupRequests;
    private final int requests;
    /** Polls the gateway until it shows what is described, or fails. */
    private final BiConsumer<String, BooleanSupplier> awaitGateway;

    InboxEventTiming(CallBudget budget, int warmupRequests, int requests,
                     BiConsumer<String, BooleanSupplier> awaitGateway) {
        this.budget = budget;
        this.warmupRequests = warmupRequests;
        this.requests = requests;
        this.awaitGateway = awaitGateway;
    }

    /**
     * Sequential requests for a field no grant gives, each timed from just before the consumer signs it to the
     * {@code inbox} event that brings it to the holder's stream; the holder then denies it and the next waits for the
     * denial's audit event, so the consumer never has more than the set-up's request and one more waiting (the
     * processors' limit is 16).
     */
    Percentiles measure(ConsumerClient asking, GatewayConnection gateway, Participant holder) {
        BlockingQueue<GatewayEvents.Event> events = new LinkedBlockingQueue<>();
        budget.take();
        try (GatewayEvents stream = gateway.events(events::add)) {
            connect(asking, gateway, holder, events);
            for (int i = 0; i < warmupRequests; i++) {
                requestAndDeny(asking, gateway, holder, events);
            }
            long[] nanos = new long[requests];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = requestAndDeny(asking, gateway, holder, events);
            }
            return Percentiles.ofNanos(nanos);
        }
    }

    /**
     * Returns once the event stream is open: the subscription gives no sign of that but its events, so each attempt
     * makes a request and looks for its {@code inbox} event, or, when that came before the stream opened, for its
     * denial's {@code audit} event.
     */
    private void connect(ConsumerClient asking, GatewayConnection gateway, Participant holder,
                         BlockingQueue<GatewayEvents.Event> events) {
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
            String requestId = asking.request(holder.id, Participants.CREDENTIAL_TYPE, ASKED_FIELDS, "benchmark");
            boolean seen = poll(events, arrived(requestId), CONNECT_WAIT);
            if (!seen) {
                awaitGateway.accept("the request " + requestId + " waiting", () -> call(gateway::inbox).stream()
                        .anyMatch(pending -> pending.getRequest().getRequestId().equals(requestId)));
            }
            budget.take();
            gateway.decide(new DecisionEvent(DecisionRecords.denial(holder.signing, requestId, holder.id,
                    System.currentTimeMillis())));
            if (poll(events, denied(requestId), seen ? EVENT_TIMEOUT : CONNECT_WAIT)) {
                return;
            }
        }
        throw new IllegalStateException("the holder's event stream showed nothing in " + CONNECT_ATTEMPTS
                + " attempts");
    }

    private long requestAndDeny(ConsumerClient asking, GatewayConnection gateway, Participant holder,
                                BlockingQueue<GatewayEvents.Event> events) {
        long started = System.nanoTime();
        String requestId = asking.request(holder.id, Participants.CREDENTIAL_TYPE, ASKED_FIELDS, "benchmark");
        if (!poll(events, arrived(requestId), EVENT_TIMEOUT)) {
            throw new IllegalStateException("no inbox event for " + requestId + " on the holder's stream within "
                    + EVENT_TIMEOUT);
        }
        long nanos = System.nanoTime() - started;
        budget.take();
        gateway.decide(new DecisionEvent(DecisionRecords.denial(holder.signing, requestId, holder.id,
                System.currentTimeMillis())));
        if (!poll(events, denied(requestId), EVENT_TIMEOUT)) {
            throw new IllegalStateException("no denial of " + requestId + " on the holder's stream within "
                    + EVENT_TIMEOUT);
        }
        return nanos;
    }

    private static Predicate<GatewayEvents.Event> arrived(String requestId) {
        return event -> event instanceof GatewayEvents.InboxArrived arrived
                && arrived.request().getRequest().getRequestId().equals(requestId);
    }

    private static Predicate<GatewayEvents.Event> denied(String requestId) {
        return event -> event instanceof GatewayEvents.Audited audited
                && audited.entry().entry().getRequestId().equals(requestId)
                && audited.entry().entry().getOutcome() == AuditOutcome.DENIED;
    }

    /** Takes events until one is {@code wanted}; false when none was within the timeout. */
    private static boolean poll(BlockingQueue<GatewayEvents.Event> events, Predicate<GatewayEvents.Event> wanted,
                                Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                GatewayEvents.Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    return false;
                }
                if (wanted.test(event)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the holder's events", e);
        }
    }

    /** A call to the gateway, once the budget allows it. */
    private <T> T call(Supplier<T> call) {
        budget.take();
        return call.get();
    }
}
