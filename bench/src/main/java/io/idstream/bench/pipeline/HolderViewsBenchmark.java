package io.idstream.bench.pipeline;

import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.GatewayStores;
import io.idstream.mapping.CredentialRecords;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.Identity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The holder views ({@code idstream bench --holder-views}): on a platform in a JVM of its own that runs the holder
 * gateway, one holder (and a second, whose views warm the JVMs up) with three credentials, a standing grant to each
 * of two consumers, deliveries in its audit trail and one request waiting; the holder's first inbox page and first
 * audit page, read through {@link GatewayConnection} (signed, as the holder's own client reads them), timed call by
 * call, first with nothing else on the platform, then with a million records of other holders in the holder's own
 * partitions of the inbox and audit topics; and the time from a consumer's signed request to the {@code inbox} event
 * on the holder's event stream.
 *
 * <p>The other holders' records ({@link OtherHolderRecords}) are written straight to the inbox and audit topics; the
 * processors never see them, and on this unsecured platform no login is needed to write there. Every wait is bounded.
 */
public final class HolderViewsBenchmark {
    /** What the latency phase asks for: a field no standing grant gives, so each request waits in the inbox. */
    static final List<String> ASKED_FIELDS = List.of("kyc_level");
    private static final int DELIVERIES = 10;
    private static final int AUDIT_PAGE = 50;
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration QUIET_SAMPLE = Duration.ofSeconds(2);
    private static final double QUIET_CORES = 0.1;
    private static final Duration VIEWS_TIMEOUT = Duration.ofSeconds(60);
    private static final String GATEWAY_APPLICATION_ID = (String) GatewayConfig.DEFINITION.defaultValues()
            .get(GatewayConfig.APPLICATION_ID);

    /** The size of a run. */
    public record Options(int warmupCalls, int calls, int otherRecords, int warmupRequests, int requests,
                          Duration loadTimeout) {
        public static Options full() {
            return new Options(20, 500, 1_000_000, 10, 100, Duration.ofMinutes(20));
        }

        public static Options quick() {
            return new Options(20, 500, 20_000, 5, 100, Duration.ofMinutes(5));
        }
    }

    /** Under the gateway's 1,000 requests of one holder within 120 s, with room for a clock step. */
    private static final int CALL_BUDGET = 950;
    private static final int WARM_UP_CALLS = 900;
    private static final Duration CALL_WINDOW = Duration.ofSeconds(125);

    private final Options options;
    private final Consumer<String> progress;
    private final CallBudget budget = new CallBudget(CALL_BUDGET, CALL_WINDOW);

    public HolderViewsBenchmark(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public HolderViewsFigures run() throws Exception {
        progress.accept("holder views: starting the platform with its holder gateway in its own JVM");
        BenchOptions cast = new BenchOptions(true, 2, 2, 0, 0, 0, 0, 1, options.loadTimeout(), "2g", null, null,
                1, 0, 0);
        try (PlatformProcess platform = PlatformProcess.start(cast.platformHeap(), null, List.of(), true);
             Pipeline pipeline = Pipeline.setUp(platform, cast);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers))) {
            Participant holder = pipeline.participants.holders.get(0);
            Participant asking = pipeline.participants.consumers.get(0);
            Participant delivered = pipeline.participants.consumers.get(1);
            GatewayConnection gateway = new GatewayConnection(platform.gatewayUrl, identity(holder));
            try (ConsumerClient askingClient = new ConsumerClient(identity(asking), clientProperties(platform));
                 ConsumerClient deliveredClient = new ConsumerClient(identity(delivered),
                         clientProperties(platform))) {
                fillTheHolder(pipeline, holder, askingClient, deliveredClient, gateway);
                warmUp(new GatewayConnection(platform.gatewayUrl, identity(pipeline.participants.holders.get(1))));
                awaitQuiet(platform);
                progress.accept("holder views, empty platform: " + options.calls() + " inbox and audit reads");
                Percentiles inboxEmpty = time(options.calls(), gateway::inbox);
                Percentiles auditEmpty = time(options.calls(), () -> gateway.audit(-1, AUDIT_PAGE));
                double loadAverageEmpty = loadAverage();

                int partitions = pipeline.catalog.partitions();
                progress.accept("holder views: writing " + options.otherRecords() + " records of other holders to "
                        + holder.id + "'s partitions");
                long inboxStoredBefore = endOffsets(admin, changelog(GatewayStores.INBOX));
                long auditStoredBefore = endOffsets(admin, changelog(GatewayStores.AUDIT));
                long started = System.nanoTime();
                int others = new OtherHolderRecords(pipeline, progress).write(holder, asking, options.otherRecords());
                double writtenSeconds = seconds(started);
                progress.accept("holder views: written in " + Math.round(writtenSeconds) + " s; waiting for the "
                        + "gateway to take them");
                ConsumerLag lag = new ConsumerLag(admin, GATEWAY_APPLICATION_ID, progress);
                boolean caughtUp = lag.awaitZero(List.of(pipeline.catalog.holderInbox().name(),
                        pipeline.catalog.audit().name()), options.loadTimeout());
                double loadedSeconds = seconds(started);
                if (!caughtUp) {
                    throw new IllegalStateException("the gateway did not take the other holders' records within "
                            + options.loadTimeout());
                }
                long inboxStored = endOffsets(admin, changelog(GatewayStores.INBOX)) - inboxStoredBefore;
                long auditStored = endOffsets(admin, changelog(GatewayStores.AUDIT)) - auditStoredBefore;
                requireStored("inbox", inboxStored);
                requireStored("audit", auditStored);

                awaitQuiet(platform);
                progress.accept("holder views, loaded platform: " + options.calls() + " inbox and audit reads");
                Percentiles inboxLoaded = time(options.calls(), gateway::inbox);
                Percentiles auditLoaded = time(options.calls(), () -> gateway.audit(-1, AUDIT_PAGE));
                double loadAverageLoaded = loadAverage();

                progress.accept("holder views: " + options.requests() + " requests to the holder's event stream");
                Percentiles requestToEvent = new InboxEventTiming(budget, options.warmupRequests(), options.requests(),
                        this::awaitGateway).measure(askingClient, gateway, holder);
                double loadAverageEvents = loadAverage();
                return new HolderViewsFigures(options.calls(), partitions, others, options.otherRecords(),
                        writtenSeconds, loadedSeconds, inboxStored, auditStored, inboxEmpty, auditEmpty,
                        inboxLoaded, auditLoaded, requestToEvent, new HolderViewsFigures.LoadAverages(
                                loadAverageEmpty, loadAverageLoaded, loadAverageEvents));
            }
        }
    }

    /**
     * Three credentials, two standing grants (from the set-up), {@link #DELIVERIES} deliveries answered by one of
     * them and one request waiting; returns once the gateway serves all of it.
     */
    private void fillTheHolder(Pipeline pipeline, Participant holder, ConsumerClient asking, ConsumerClient delivered,
                               GatewayConnection gateway) {
        long now = System.currentTimeMillis();
        List<Keyed<IssuanceEvent>> more = List.of("address", "bank-account").stream().map(type -> new Keyed<>(
                holder.id, new IssuanceEvent(CredentialRecords.toAvro(pipeline.participants.issue(holder, type,
                        now))))).toList();
        new SetUpPublisher(pipeline).publish(pipeline.catalog.credentialsIssued(), more,
                pipeline.catalog.credentialsStored(), (StoredCredential stored) -> true);
        for (int i = 0; i < DELIVERIES; i++) {
            delivered.request(holder.id, Participants.CREDENTIAL_TYPE, Participants.FIELDS, "benchmark");
        }
        asking.request(holder.id, Participants.CREDENTIAL_TYPE, ASKED_FIELDS, "benchmark");
        // Two grants, the deliveries and the parked request, each one audit entry.
        int entries = 2 + DELIVERIES + 1;
        awaitGateway("3 credentials, 1 waiting request and " + entries + " audit entries",
                () -> call(gateway::credentials).size() == 3 && call(gateway::inbox).size() == 1
                        && call(() -> gateway.audit(-1, AUDIT_PAGE)).entries().size() == entries);
    }

    /**
     * Waits, at most {@link #QUIET_TIMEOUT}, until the platform uses less than a tenth of a core over two seconds:
     * after a million writes its state stores compact and flush for a while, and the views are measured in the
     * steady state that follows, as a holder meets them, not while the platform is still taking the load in.
     */
    private void awaitQuiet(PlatformProcess platform) {
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            double before = platform.cpuSeconds();
            sleep(QUIET_SAMPLE.toMillis());
            double busyCores = (platform.cpuSeconds() - before) / (QUIET_SAMPLE.toMillis() / 1000.0);
            if (busyCores < QUIET_CORES) {
                return;
            }
        }
        progress.accept("holder views: the platform is still busy after " + QUIET_TIMEOUT.toSeconds()
                + " s; measuring anyway");
    }

    /** Polls the gateway, each poll's calls within the budget, until it shows what is wanted. */
    private void awaitGateway(String what, BooleanSupplier shown) {
        long deadline = System.nanoTime() + VIEWS_TIMEOUT.toNanos();
        while (!shown.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not show " + what + " within " + VIEWS_TIMEOUT);
            }
            sleep(250);
        }
    }

    /** A call to the gateway, once the budget allows it. */
    private <T> T call(Supplier<T> call) {
        budget.take();
        return call.get();
    }

    /**
     * Warms both JVMs up on the same routes with another holder's views (its own budget of calls), so that the
     * holder's own budget goes to its timed calls.
     */
    private void warmUp(GatewayConnection other) {
        progress.accept("holder views: warming up with " + WARM_UP_CALLS + " calls of another holder");
        for (int i = 0; i < WARM_UP_CALLS / 2; i++) {
            other.inbox();
            other.audit(-1, AUDIT_PAGE);
        }
    }

    /**
     * Fails unless the gateway's store took every parked request: its changelog grew by at least one record per
     * request (a little more, with the transactions' markers), so the records were materialized, not skipped.
     */
    private void requireStored(String store, long stored) {
        long parked = options.otherRecords() / OtherHolderRecords.RECORDS_PER_PARKED;
        if (stored < parked) {
            throw new IllegalStateException("the gateway's " + store + " store took " + stored + " records of the "
                    + parked + " written");
        }
    }

    /** The changelog topic of a gateway store (Kafka Streams names it after the application and the store). */
    private static String changelog(String store) {
        return GATEWAY_APPLICATION_ID + "-" + store + "-changelog";
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    /** Warms up, then times {@code calls} sequential calls, each once the budget allows it (not timed). */
    private Percentiles time(int calls, Runnable call) {
        for (int i = 0; i < options.warmupCalls(); i++) {
            budget.take();
            call.run();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            budget.take();
            long started = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - started;
        }
        return Percentiles.ofNanos(nanos);
    }


    /**
     * The machine's load average over the last minute, from /proc/loadavg (0 where there is none): the figures of a
     * machine whose other work keeps both cores busy are its, not the gateway's.
     */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Identity identity(Participant participant) {
        return new Identity(participant.id, participant.role, participant.signing, participant.encryption);
    }

    private static Properties clientProperties(PlatformProcess platform) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", platform.bootstrapServers);
        properties.put("schema.registry.url", platform.schemaRegistryUrl);
        return properties;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
