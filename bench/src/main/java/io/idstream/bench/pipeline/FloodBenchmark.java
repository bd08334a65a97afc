package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.ProcessorsConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The flood benchmark ({@code idstream bench --flood}): one registered consumer sends requests of exactly the
 * processors' largest request size ({@code idstream.limits.max.request.bytes}) to one holder, as fast as the broker
 * takes them, to the platform in a JVM of its own; then the holder grants the consumer what it asked, which answers
 * the requests still waiting. Meanwhile {@link FloodSampler} reads the platform's heap, the longest time between two
 * polls of the processors' consumer and their rebalances over JMX; the heap is also read after a full collection
 * before the flood, once the processors have caught up with it, and once they have taken the grant. Every wait is
 * bounded, so the run ends by itself, also when the platform does not keep up.
 */
public final class FloodBenchmark {
    /** The field the flood asks for, which the set-up's standing grant does not give, so that requests wait. */
    static final List<String> FLOODED_FIELDS = List.of("kyc_level");
    private static final int CHUNK = 2_000;
    /** One record, however many requests it answers, should take seconds; a stream thread stuck in it, longer. */
    private static final Duration GRANT_TIMEOUT = Duration.ofMinutes(5);
    private static final String APPLICATION_ID = (String) ProcessorsConfig.DEFINITION.defaultValues()
            .get(ProcessorsConfig.APPLICATION_ID);

    private final int requests;
    private final int requestBytes;
    private final String heap;
    private final Duration catchUpTimeout;
    private final Consumer<String> progress;

    public FloodBenchmark(int requests, String heap, Duration catchUpTimeout, Consumer<String> progress) {
        this.requests = requests;
        this.requestBytes = (int) ProcessorsConfig.DEFINITION.defaultValues().get(ProcessorsConfig.MAX_REQUEST_BYTES);
        this.heap = heap;
        this.catchUpTimeout = catchUpTimeout;
        this.progress = progress;
    }

    public FloodFigures run() throws Exception {
        int jmxPort = PlatformJmx.freePort();
        progress.accept("starting the platform in its own JVM, heap " + heap);
        BenchOptions cast = new BenchOptions(true, 1, 1, 0, 0, 0, 0, 1, catchUpTimeout, heap, null, null, 1, 0, 0);
        try (PlatformProcess platform = PlatformProcess.start(heap, null, PlatformJmx.jvmOptions(jmxPort));
             PlatformJmx jmx = PlatformJmx.connect(jmxPort);
             Pipeline pipeline = Pipeline.setUp(platform, cast);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers))) {
            Participant consumer = pipeline.participants.consumers.get(0);
            Participant holder = pipeline.participants.holders.get(0);
            double heapMaxMb = jmx.heap().getMax() / PlatformJmx.MB;
            double baseline = jmx.usedAfterGcMb();
            try (FloodSampler sampler = FloodSampler.start(jmx)) {
                progress.accept("flood: " + requests + " requests of " + requestBytes + " bytes from " + consumer.id
                        + " to " + holder.id);
                long started = System.nanoTime();
                flood(pipeline, consumer, holder);
                double floodSeconds = seconds(started);
                String requestsTopic = pipeline.catalog.accessRequests().name();
                boolean caughtUp = awaitCaughtUp(admin, requestsTopic, catchUpTimeout);
                double catchUpSeconds = seconds(started);
                double afterFlood = jmx.usedAfterGcMb();

                progress.accept("the holder grants " + consumer.id + " what it asked");
                started = System.nanoTime();
                pipeline.producer.send(pipeline.catalog.accessDecisions(), holder.id, new DecisionEvent(holder.grant(
                        consumer, pipeline.participants.credential(holder.id), "", FLOODED_FIELDS,
                        System.currentTimeMillis(), 1)));
                pipeline.producer.flush();
                boolean granted = awaitCaughtUp(admin, pipeline.catalog.accessDecisions().name(), GRANT_TIMEOUT);
                double grantSeconds = seconds(started);
                double afterGrant = jmx.usedAfterGcMb();
                return new FloodFigures(requests, requestBytes, heapMaxMb, baseline, floodSeconds, caughtUp,
                        catchUpSeconds, afterFlood, granted, grantSeconds, afterGrant, sampler.peakUsedMb(),
                        sampler.maxPollIntervalMs(), sampler.rebalances(), jmx.rejections(), jmx.outcomes());
            }
        }
    }

    /** Signs and sends the flood in chunks, each of exactly {@link #requestBytes}; the producer's buffer paces it. */
    private void flood(Pipeline pipeline, Participant consumer, Participant holder) {
        Serializer<AccessRequest> serializer = pipeline.catalog.accessRequests().valueSerde().serializer();
        String topic = pipeline.catalog.accessRequests().name();
        int purposeLength = purposeLengthForExactSize(serializer, topic, consumer, holder);
        String purpose = "p".repeat(purposeLength);
        for (int sent = 0; sent < requests; sent += CHUNK) {
            long now = System.currentTimeMillis();
            List<byte[]> chunk = IntStream.range(0, Math.min(CHUNK, requests - sent)).parallel()
                    .mapToObj(i -> serializer.serialize(topic, request(consumer, holder, purpose, now))).toList();
            for (byte[] request : chunk) {
                if (request.length != requestBytes) {
                    throw new IllegalStateException("a flood request is " + request.length + " bytes, not "
                            + requestBytes);
                }
                pipeline.producer.sendBytes(topic, holder.id, request);
            }
            if ((sent / CHUNK) % 10 == 9) {
                progress.accept("sent " + (sent + chunk.size()) + " requests");
            }
        }
        pipeline.producer.flush();
    }

    private int purposeLengthForExactSize(Serializer<AccessRequest> serializer, String topic, Participant consumer,
                                          Participant holder) {
        // Dated like the flood, since a time's varint takes as many bytes as its size needs.
        long now = System.currentTimeMillis();
        int length = requestBytes - serializer.serialize(topic, request(consumer, holder, "", now)).length;
        // The purpose's length prefix grows by a byte or two as the purpose does; settle on the exact size.
        for (int attempt = 0; attempt < 4; attempt++) {
            int size = serializer.serialize(topic, request(consumer, holder, "p".repeat(length), now)).length;
            if (size == requestBytes) {
                return length;
            }
            length += requestBytes - size;
        }
        throw new IllegalStateException("no purpose length makes a request of exactly " + requestBytes + " bytes");
    }

    private static AccessRequest request(Participant consumer, Participant holder, String purpose, long at) {
        return RequestRecords.signed(consumer.signing, new RequestStatement(UUID.randomUUID().toString(),
                consumer.id, holder.id, Participants.CREDENTIAL_TYPE, "", purpose, at,
                Encoding.sorted(FLOODED_FIELDS)));
    }

    /** Waits until the processors have committed every record of the topic; false after the timeout. */
    private boolean awaitCaughtUp(Admin admin, String topic, Duration timeout) throws InterruptedException {
        return new ConsumerLag(admin, APPLICATION_ID, progress).awaitZero(List.of(topic), timeout);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
