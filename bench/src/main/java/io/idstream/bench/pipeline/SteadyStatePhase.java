package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialDelivery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests answered by standing grants, with no holder in the loop: signs {@code n} requests first, sends them as
 * fast as the producer takes them or at a fixed rate, and waits for every delivery (or the phase's timeout). Measures
 * verified deliveries per second (first send to last delivery read), the platform's CPU time per delivery and peak
 * RSS, and request → delivery latency; one delivery in {@code verifyEvery} is fully verified as its consumer would.
 * The same phase serves the warm-up, the full-speed run and the paced run.
 */
final class SteadyStatePhase {
    /** What one run of the phase measured. */
    record Figures(int requests, int delivered, double deliveriesPerSec, double cpuUsPerDelivery, Latency latency,
                   int verifiedSample, int verifyFailures, double peakRssMb, List<String> requestIds,
                   double seconds) {
    }

    private final Pipeline pipeline;
    private final BenchOptions options;

    SteadyStatePhase(Pipeline pipeline, BenchOptions options) {
        this.pipeline = pipeline;
        this.options = options;
    }

    /** {@code n} requests, sent as fast as the producer takes them ({@code ratePerSec} 0) or at that rate. */
    Figures run(int n, double ratePerSec) throws InterruptedException {
        List<AccessRequest> requests = pipeline.participants.requests(n);
        // When each request was sent, by request id: the start of its request → delivery latency.
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Latency.Recorder latency = new Latency.Recorder();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger verified = new AtomicInteger();
        AtomicInteger verifyFailures = new AtomicInteger();
        AtomicLong lastDelivery = new AtomicLong();
        CountDownLatch allDelivered = new CountDownLatch(n);
        pipeline.onDeliveries((event, readAt) -> {
            CredentialDelivery delivery = (CredentialDelivery) event.getEvent();
            Long sent = sentAt.remove(delivery.getRequestId());
            if (sent == null) {
                return;
            }
            latency.record(readAt - sent);
            int count = delivered.incrementAndGet();
            lastDelivery.accumulateAndGet(readAt, Math::max);
            if (count % options.verifyEvery() == 0) {
                (pipeline.verifier.verify(delivery) ? verified : verifyFailures).incrementAndGet();
            }
            allDelivered.countDown();
        });

        PeakRssSampler rss = PeakRssSampler.start(pipeline.platform);
        double cpuBefore = pipeline.platform.cpuSeconds();
        long started = System.nanoTime();
        Pacer pacer = new Pacer(ratePerSec, started);
        for (AccessRequest request : requests) {
            pacer.awaitNextSlot();
            sentAt.put(request.getRequestId(), System.nanoTime());
            pipeline.producer.send(pipeline.catalog.accessRequests(), request.getHolderId(), request);
        }
        pipeline.producer.flush();
        // On time-out the figures count what arrived; BenchMain fails a run with deliveries missing.
        allDelivered.await(options.steadyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        double cpuAfter = pipeline.platform.cpuSeconds();
        double peakRssMb = rss.stop();
        pipeline.onDeliveries(null);
        int count = delivered.get();
        double seconds = (lastDelivery.get() - started) / 1e9;
        return new Figures(n, count, count / seconds, (cpuAfter - cpuBefore) * 1e6 / Math.max(1, count),
                latency.percentiles(), verified.get(), verifyFailures.get(), peakRssMb,
                requests.stream().map(AccessRequest::getRequestId).toList(), seconds);
    }
}
