package io.idstream.bench.pipeline;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.sdk.ConsumerClient;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Measures the pipeline in one run: crypto floors; steady state (requests answered by standing grants, at full
 * speed, through the platform in a JVM of its own under exactly-once); one-click approval under moderate load; a
 * raw Kafka baseline; grant cost against credential size; the platform's peak RSS. This JVM generates the load and
 * consumes the deliveries; requests are signed before the timed phase, and a sample of deliveries is fully verified.
 */
public final class PipelineBenchmark {
    static final List<String> FIELDS = List.of("age_over_18", "country");
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);

    private final BenchOptions options;
    private final Consumer<String> progress;

    public PipelineBenchmark(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public BenchResults run() throws Exception {
        BenchResults results = new BenchResults(options);
        progress.accept("crypto floor");
        CryptoCosts.floor(results, options.quick());
        progress.accept("grant cost against credential size");
        CryptoCosts.grantCosts(results, options.quick());

        Path dataDir = Files.createTempDirectory("idstream-bench");
        progress.accept("starting the platform in its own JVM");
        try (PlatformProcess platform = PlatformProcess.start(dataDir, freePort(), options.platformHeap())) {
            Pipeline pipeline = new Pipeline(platform);
            progress.accept("setting up " + options.holders() + " holders, " + options.consumers()
                    + " consumers, " + options.holders() * options.consumers() + " standing grants");
            pipeline.setUp();
            progress.accept("raw Kafka baseline");
            results.rawKafkaPerSec = pipeline.rawBaseline(options.requests());
            // A cold platform spends much of its CPU compiling (the JIT's threads took 40% of it in an unwarmed
            // run): run the same load once untimed, so that the timed run measures the steady state.
            progress.accept("warm-up: " + options.warmupRequests() + " requests");
            pipeline.steadyState(new BenchResults(options), options.warmupRequests(), 0);
            progress.accept("steady state: " + options.requests() + " requests at full speed");
            pipeline.steadyState(results, options.requests(), 0);
            // At full speed the latency is mostly the queue of requests not yet taken; at half the measured rate
            // it is the pipeline's own.
            double pacedRate = results.deliveriesPerSec / 2;
            int pacedRequests = (int) (pacedRate * options.pacedSeconds());
            progress.accept("paced: " + pacedRequests + " requests at " + Math.round(pacedRate) + "/s");
            BenchResults paced = new BenchResults(options);
            pipeline.steadyState(paced, pacedRequests, pacedRate);
            results.pacedPerSec = pacedRate;
            results.pacedP50Ms = paced.requestP50Ms;
            results.pacedP99Ms = paced.requestP99Ms;
            results.pacedP999Ms = paced.requestP999Ms;
            progress.accept("one-click approval under load: " + options.approvals() + " approvals");
            pipeline.approvals(results);
            pipeline.close();
        } finally {
            deleteQuietly(dataDir);
        }
        return results;
    }

    /** The platform, the participants, and the Kafka clients of the load generator and the consumers. */
    final class Pipeline implements AutoCloseable {
        private final PlatformProcess platform;
        private final TopicCatalog catalog;
        private final KafkaProducer<String, byte[]> producer;
        private final Participant issuer = new Participant("bench-issuer", "issuer");
        private final List<Participant> holders = new ArrayList<>();
        private final List<Participant> approvalHolders = new ArrayList<>();
        private final List<Participant> consumers = new ArrayList<>();
        private final Map<String, Participant> holdersById = new HashMap<>();
        private final Map<String, Credentials.IssuedCredential> credentials = new HashMap<>();
        /** Where a request was sent, by request id: the start of its request→delivery latency. */
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<DeliveryEvent>> awaited = new ConcurrentHashMap<>();
        private final List<DeliveryReader> readers = new ArrayList<>();
        private int requestSize;

        Pipeline(PlatformProcess platform) {
            this.platform = platform;
            this.catalog = TopicCatalog.create(Map.of("schema.registry.url", platform.schemaRegistryUrl));
            Map<String, Object> configs = new HashMap<>();
            configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers);
            configs.put(ProducerConfig.ACKS_CONFIG, "all");
            configs.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            configs.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            this.producer = new KafkaProducer<>(configs, new StringSerializer(), new ByteArraySerializer());
        }

        <V> void send(Topic<String, V> topic, String key, V value) {
            producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer()
                    .serialize(topic.name(), value)));
        }

        void setUp() throws Exception {
            SigningKeyPair operator = SigningKeyPair.fromPem(Files.readString(platform.dataDir.resolve("operator")
                    .resolve("signing.pem")));
            long now = System.currentTimeMillis();
            for (int i = 0; i < options.holders(); i++) {
                holders.add(new Participant(String.format("holder-%05d", i), "holder"));
            }
            for (int i = 0; i < options.approvals(); i++) {
                approvalHolders.add(new Participant(String.format("approver-%05d", i), "holder"));
            }
            for (int i = 0; i < options.consumers(); i++) {
                consumers.add(new Participant(String.format("consumer-%02d", i), "consumer"));
            }
            holders.forEach(h -> holdersById.put(h.id, h));
            approvalHolders.forEach(h -> holdersById.put(h.id, h));
            List<Participant> everyone = new ArrayList<>(List.of(issuer));
            everyone.addAll(holders);
            everyone.addAll(approvalHolders);
            everyone.addAll(consumers);
            for (Participant p : everyone) {
                send(catalog.directory(), p.id, new DirectoryEvent(p.registration(now)));
            }
            send(catalog.directory(), issuer.id, new DirectoryEvent(issuer.accreditationBy(operator, now)));
            producer.flush();
            Set<String> ids = new HashSet<>();
            everyone.forEach(p -> ids.add(p.id));
            awaitTopic(catalog.directoryVerified(), ids.size() + 1, (VerifiedPrincipal v) ->
                    v.getAccreditation() == null || v.getPrincipal().getId().equals(issuer.id));
            // The access processor learns the directory from its verified topic, asynchronously.
            Thread.sleep(2000);

            List<Participant> credentialHolders = new ArrayList<>(holders);
            credentialHolders.addAll(approvalHolders);
            credentialHolders.parallelStream().forEach(holder -> {
                var header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id,
                        "kyc", now, 0L);
                var credential = Credentials.issue(issuer.signing, header, holder.encryption.publicKey(),
                        Map.of("country", "DE", "age_over_18", "true", "kyc_level", "2", "full_name",
                                "Holder " + holder.id, "sanctions_clear", "true"));
                synchronized (credentials) {
                    credentials.put(holder.id, credential);
                }
            });
            for (Participant holder : credentialHolders) {
                send(catalog.credentialsIssued(), holder.id, new IssuanceEvent(Participant.toAvro(
                        credentials.get(holder.id))));
            }
            producer.flush();
            awaitTopic(catalog.credentialsStored(), credentialHolders.size(), (StoredCredential s) -> true);

            List<DecisionEvent> grants = holders.parallelStream().flatMap(holder -> consumers.stream()
                    .map(consumer -> new DecisionEvent(holder.grant(consumer, credentials.get(holder.id), "",
                            FIELDS, now, 1_000_000_000)))).toList();
            for (DecisionEvent grant : grants) {
                send(catalog.accessDecisions(), ((Grant) grant.getDecision()).getHolderId(), grant);
            }
            producer.flush();
            awaitTopic(catalog.audit(), grants.size(), (AccessAudit a) -> a.getOutcome() == AuditOutcome.GRANTED);

            for (Participant consumer : consumers) {
                DeliveryReader reader = new DeliveryReader(consumer);
                readers.add(reader);
                reader.start();
            }
            for (DeliveryReader reader : readers) {
                reader.awaitAssigned();
            }
        }

        /** {@code n} requests, sent as fast as the producer takes them ({@code ratePerSec} 0) or at that rate. */
        void steadyState(BenchResults results, int n, double ratePerSec) throws Exception {
            List<AccessRequest> requests = signRequests(n);
            Histogram latency = new Histogram(60_000_000L, 3);
            AtomicInteger delivered = new AtomicInteger();
            AtomicInteger verified = new AtomicInteger();
            AtomicInteger verifyFailures = new AtomicInteger();
            AtomicLong lastDelivery = new AtomicLong();
            readers.forEach(r -> r.onDelivery = (event, at) -> {
                CredentialDelivery d = (CredentialDelivery) event.getEvent();
                Long sent = sentAt.remove(d.getRequestId());
                if (sent == null) {
                    return;
                }
                synchronized (latency) {
                    latency.recordValue(Math.max(1, (at - sent) / 1000));
                }
                int count = delivered.incrementAndGet();
                lastDelivery.accumulateAndGet(at, Math::max);
                if (count % options.verifyEvery() == 0) {
                    (r.verify(d) ? verified : verifyFailures).incrementAndGet();
                }
            });

            RssSampler rss = new RssSampler(platform);
            rss.start();
            double cpuBefore = platform.cpuSeconds();
            long started = System.nanoTime();
            long interval = ratePerSec > 0 ? (long) (1e9 / ratePerSec) : 0;
            long next = started;
            for (AccessRequest request : requests) {
                if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                sentAt.put(request.getRequestId(), System.nanoTime());
                send(catalog.accessRequests(), request.getHolderId(), request);
            }
            producer.flush();
            long deadline = System.nanoTime() + options.steadyTimeout().toNanos();
            while (delivered.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double cpuAfter = platform.cpuSeconds();
            rss.stop();
            int count = delivered.get();
            double seconds = (lastDelivery.get() - started) / 1e9;
            results.requests = n;
            results.delivered = count;
            results.deliveriesPerSec = count / seconds;
            results.cpuUsPerDelivery = (cpuAfter - cpuBefore) * 1e6 / Math.max(1, count);
            results.requestP50Ms = latency.getValueAtPercentile(50) / 1000.0;
            results.requestP99Ms = latency.getValueAtPercentile(99) / 1000.0;
            results.requestP999Ms = latency.getValueAtPercentile(99.9) / 1000.0;
            results.verifiedSample = verified.get();
            results.verifyFailures = verifyFailures.get();
            results.peakRssMb = rss.peakMb();
            results.requestBytes = requestSize;
            readers.forEach(r -> r.onDelivery = null);
            sentAt.clear();
        }

        /** Approvals one at a time while a background load of a fifth of the measured rate runs. */
        void approvals(BenchResults results) throws Exception {
            Participant consumer = consumers.get(0);
            DeliveryReader reader = readers.get(0);
            reader.onDelivery = (event, at) -> {
                String requestId = event.getEvent() instanceof CredentialDelivery d ? d.getRequestId()
                        : ((ConsumerNotice) event.getEvent()).getRequestId();
                CompletableFuture<DeliveryEvent> future = awaited.remove(requestId + "/"
                        + (event.getEvent() instanceof CredentialDelivery ? "delivery" : "notice"));
                if (future != null) {
                    future.complete(event);
                }
            };
            double rate = Math.max(100, results.deliveriesPerSec / 5);
            List<AccessRequest> background = signRequests((int) (rate * (options.approvals() * 0.5 + 30)));
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = new Thread(() -> {
                long interval = (long) (1e9 / rate);
                long next = System.nanoTime();
                for (AccessRequest request : background) {
                    if (!loading.get()) {
                        return;
                    }
                    send(catalog.accessRequests(), request.getHolderId(), request);
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }, "bench-background-load");
            load.start();
            Thread.sleep(1000);
            Histogram approval = new Histogram(60_000_000L, 3);
            int verified = 0;
            for (Participant holder : approvalHolders) {
                AccessRequest request = consumer.request(holder.id, "kyc", FIELDS, System.currentTimeMillis());
                CompletableFuture<DeliveryEvent> notice = expect(request.getRequestId(), "notice");
                CompletableFuture<DeliveryEvent> delivery = expect(request.getRequestId(), "delivery");
                send(catalog.accessRequests(), holder.id, request);
                producer.flush();
                ConsumerNotice pending = (ConsumerNotice) notice.get(60, TimeUnit.SECONDS).getEvent();
                if (pending.getKind() != NoticeKind.PENDING) {
                    throw new IllegalStateException("expected PENDING for " + request.getRequestId() + ", got "
                            + pending.getKind());
                }
                long clicked = System.nanoTime();
                Grant grant = holder.grant(consumer, credentials.get(holder.id),
                        request.getRequestId(), FIELDS, System.currentTimeMillis(), 1);
                send(catalog.accessDecisions(), holder.id, new DecisionEvent(grant));
                producer.flush();
                CredentialDelivery d = (CredentialDelivery) delivery.get(60, TimeUnit.SECONDS).getEvent();
                if (reader.verify(d)) {
                    verified++;
                }
                approval.recordValue(Math.max(1, (System.nanoTime() - clicked) / 1000));
            }
            loading.set(false);
            load.join();
            results.approvalP50Ms = approval.getValueAtPercentile(50) / 1000.0;
            results.approvalP99Ms = approval.getValueAtPercentile(99) / 1000.0;
            results.approvalBackgroundPerSec = rate;
            results.approvalsVerified = verified;
        }

        private CompletableFuture<DeliveryEvent> expect(String requestId, String kind) {
            CompletableFuture<DeliveryEvent> future = new CompletableFuture<>();
            awaited.put(requestId + "/" + kind, future);
            return future;
        }

        /** Requests spread over every consumer and every holder with standing grants, signed in parallel. */
        private List<AccessRequest> signRequests(int n) {
            long now = System.currentTimeMillis();
            return IntStream.range(0, n).parallel().mapToObj(i -> consumers.get(i % consumers.size())
                    .request(holders.get((i / consumers.size()) % holders.size()).id, "kyc", FIELDS, now)).toList();
        }

        /** Produce → consume of request-sized records through the same broker, without idstream. */
        double rawBaseline(int n) throws Exception {
            String topic = "bench.raw." + System.nanoTime();
            Map<String, Object> admin = Map.of("bootstrap.servers", platform.bootstrapServers);
            try (Admin client = Admin.create(admin)) {
                client.createTopics(List.of(new NewTopic(topic, catalog.partitions(), (short) 1))).all().get();
            }
            requestSize = catalog.accessRequests().valueSerde().serializer().serialize(
                    catalog.accessRequests().name(), signRequests(1).get(0)).length;
            byte[] value = new byte[requestSize];
            new Random(1).nextBytes(value);
            Map<String, Object> configs = new HashMap<>();
            configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers);
            configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            configs.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
            AtomicInteger received = new AtomicInteger();
            AtomicLong last = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        int count = consumer.poll(Duration.ofMillis(100)).count();
                        if (count > 0) {
                            received.addAndGet(count);
                            last.set(System.nanoTime());
                        }
                    }
                }
            }, "bench-raw-reader");
            reader.start();
            Thread.sleep(3000);
            long started = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "holder-" + (i % options.holders()), value));
            }
            producer.flush();
            long deadline = System.nanoTime() + options.steadyTimeout().toNanos();
            while (received.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            running.set(false);
            reader.join();
            return received.get() / ((last.get() - started) / 1e9);
        }

        private <V> void awaitTopic(Topic<String, V> topic, int expected, Predicate<V> counts) {
            Map<String, Object> configs = new HashMap<>();
            configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers);
            configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
                    topic.valueSerde().deserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                int seen = 0;
                long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
                while (seen < expected) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("set-up stalled: " + seen + " of " + expected + " on "
                                + topic.name());
                    }
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.value() != null && counts.test(record.value())) {
                            seen++;
                        }
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (DeliveryReader reader : readers) {
                reader.close();
            }
            producer.close();
        }

        /** One consumer's reader of its delivery topic; every record goes to {@link #onDelivery}. */
        final class DeliveryReader extends Thread {
            private final Participant consumer;
            private final DeliveryVerifier verifier;
            private final AtomicBoolean running = new AtomicBoolean(true);
            private final CompletableFuture<Void> assigned = new CompletableFuture<>();
            volatile BiConsumer<DeliveryEvent, Long> onDelivery;

            DeliveryReader(Participant consumer) {
                super("bench-reader-" + consumer.id);
                this.consumer = consumer;
                this.verifier = new DeliveryVerifier(consumer.encryption);
            }

            @Override
            public void run() {
                Map<String, Object> configs = new HashMap<>();
                configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers);
                configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
                Topic<String, DeliveryEvent> topic = catalog.deliveries(consumer.id);
                try (KafkaConsumer<String, DeliveryEvent> kafka = new KafkaConsumer<>(configs,
                        new StringDeserializer(), topic.valueSerde().deserializer())) {
                    List<PartitionInfo> infos = List.of();
                    long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
                    while (infos.isEmpty() && System.nanoTime() < deadline) {
                        infos = kafka.partitionsFor(topic.name());
                    }
                    List<TopicPartition> partitions = infos.stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    kafka.assign(partitions);
                    kafka.seekToEnd(partitions);
                    partitions.forEach(kafka::position);
                    assigned.complete(null);
                    while (running.get()) {
                        for (ConsumerRecord<String, DeliveryEvent> record : kafka.poll(Duration.ofMillis(50))) {
                            long at = System.nanoTime();
                            var handler = onDelivery;
                            if (handler != null && record.value() != null) {
                                handler.accept(record.value(), at);
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    assigned.completeExceptionally(e);
                    throw e;
                }
            }

            void awaitAssigned() throws Exception {
                assigned.get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            /** Full verification, as the consumer does it: both signatures, decryption, commitments. */
            boolean verify(CredentialDelivery d) {
                Participant holder = holdersById.get(d.getHolderId());
                DeliveryVerification result = verifier.verify(ConsumerClient.toDelivery(d),
                        issuer.signing.publicKey(), holder.signing.publicKey());
                return result.verified();
            }

            void close() throws InterruptedException {
                running.set(false);
                join();
            }
        }

    }

    /** Samples the platform's RSS every 100 ms. */
    static final class RssSampler {
        private final PlatformProcess platform;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile double peak;
        private Thread thread;

        RssSampler(PlatformProcess platform) {
            this.platform = platform;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    peak = Math.max(peak, platform.rssMb());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-rss");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
            peak = Math.max(peak, platform.rssMb());
        }

        double peakMb() {
            return peak;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is no failure of the benchmark.
        }
    }
}
