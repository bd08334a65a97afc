package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One-click approval under load: while a {@link BackgroundLoad} runs, each approver in turn gets a request from the
 * first consumer, waits for the PENDING notice, then signs a one-use grant for it; the latency runs from that click
 * to the consumer holding the delivery, which is fully verified. Approvals go one at a time, so each is measured
 * alone against the load.
 */
final class ApprovalPhase {
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

    /** What the phase measured: approval → delivery latency, the background rate, and how many verified. */
    record Figures(Latency latency, double backgroundPerSec, int verified) {
    }

    private final Pipeline pipeline;
    private final BenchOptions options;
    /** The outcome each approval waits for, by request id and kind ("notice" or "delivery"). */
    private final Map<String, CompletableFuture<DeliveryEvent>> awaited = new ConcurrentHashMap<>();

    ApprovalPhase(Pipeline pipeline, BenchOptions options) {
        this.pipeline = pipeline;
        this.options = options;
    }

    Figures run(double backgroundPerSec) throws Exception {
        DeliveryReader reader = pipeline.readers.get(0);
        reader.onDelivery((event, readAt) -> {
            CompletableFuture<DeliveryEvent> future = awaited.remove(event.getEvent() instanceof CredentialDelivery d
                    ? outcomeKey(d.getRequestId(), "delivery")
                    : outcomeKey(((ConsumerNotice) event.getEvent()).getRequestId(), "notice"));
            if (future != null) {
                future.complete(event);
            }
        });
        List<AccessRequest> background = pipeline.participants.requests((int) (backgroundPerSec
                * (options.approvals() * 0.5 + 30)));
        Latency.Recorder latency = new Latency.Recorder();
        int verified = 0;
        try (BackgroundLoad load = BackgroundLoad.start(pipeline.producer, pipeline.catalog.accessRequests(),
                background, backgroundPerSec)) {
            load.awaitFirstSecond(OUTCOME_TIMEOUT);
            for (Participant approver : pipeline.participants.approvers) {
                if (approve(approver, latency)) {
                    verified++;
                }
            }
        } finally {
            reader.onDelivery(null);
        }
        return new Figures(latency.percentiles(), backgroundPerSec, verified);
    }

    /** One approval: request, PENDING, the approver's grant, the delivery; true when the delivery verifies. */
    private boolean approve(Participant approver, Latency.Recorder latency) throws Exception {
        Participant consumer = pipeline.participants.consumers.get(0);
        AccessRequest request = consumer.request(approver.id, Participants.CREDENTIAL_TYPE, Participants.FIELDS,
                System.currentTimeMillis());
        CompletableFuture<DeliveryEvent> notice = expect(request.getRequestId(), "notice");
        CompletableFuture<DeliveryEvent> delivery = expect(request.getRequestId(), "delivery");
        pipeline.producer.send(pipeline.catalog.accessRequests(), approver.id, request);
        pipeline.producer.flush();
        ConsumerNotice pending = (ConsumerNotice) notice.get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .getEvent();
        if (pending.getKind() != NoticeKind.PENDING) {
            throw new IllegalStateException("expected PENDING for " + request.getRequestId() + ", got "
                    + pending.getKind());
        }
        long clicked = System.nanoTime();
        Grant grant = approver.grant(consumer, pipeline.participants.credential(approver.id),
                request.getRequestId(), Participants.FIELDS, System.currentTimeMillis(), 1);
        pipeline.producer.send(pipeline.catalog.accessDecisions(), approver.id, new DecisionEvent(grant));
        pipeline.producer.flush();
        CredentialDelivery delivered = (CredentialDelivery) delivery.get(OUTCOME_TIMEOUT.toSeconds(),
                TimeUnit.SECONDS).getEvent();
        boolean verified = pipeline.verifier.verify(delivered);
        latency.record(System.nanoTime() - clicked);
        return verified;
    }

    private CompletableFuture<DeliveryEvent> expect(String requestId, String kind) {
        CompletableFuture<DeliveryEvent> future = new CompletableFuture<>();
        awaited.put(outcomeKey(requestId, kind), future);
        return future;
    }

    private static String outcomeKey(String requestId, String kind) {
        return requestId + "/" + kind;
    }
}
