package io.idstream.it.processors;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processors, in a JVM of their own, killed hard (SIGKILL, no shutdown) three times while they work: on the first
 * deliveries of a stream of requests against a standing grant, in the middle of that stream, and just after the
 * holder approved a batch of parked requests. Each time they restart from the same state directory and application
 * id. Once the last instance has processed every input, the delivery topic is read to its end offsets as a consumer
 * reads it (committed records only), and every request has been answered exactly once: the grant's uses counted
 * exactly, the requests beyond them parked with one PENDING notice, each approved one delivered under its approval,
 * and nothing rejected.
 */
@Timeout(180)
class CrashSafetyIT {
    static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");
    static final List<String> COUNTRY = List.of("country");
    static final String APPLICATION_ID = "crash-safety-processors";
    /** Few partitions, so few tasks to restore at each restart; the holder's records all go to one of them anyway. */
    static final int PARTITIONS = 2;
    static final int STANDING_USES = 60;
    static final int APPROVALS = 20;
    static final int BURST = 150;
    static final Duration BURST_INTERVAL = Duration.ofMillis(5);
    static final Duration STREAM_INTERVAL = Duration.ofMillis(50);
    static final Duration APPROVAL_INTERVAL = Duration.ofMillis(50);
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Path processorProperties;
    Process processors;
    final List<Process> started = new ArrayList<>();
    final ScheduledExecutorService senders = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopEverything() {
        senders.shutdownNow();
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void killedMidFlowThreeTimesAnswersEveryRequestExactlyOnce() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir.resolve("data")));
        settings.put(TopicCatalogConfig.PARTITIONS, PARTITIONS);
        try (Platform platform = Platform.start(new PlatformConfig(settings));
             FlowClients clients = new FlowClients(platform)) {
            processorProperties = processorProperties(platform);
            processors = startProcessors();

            Party issuer = clients.register("kyc-co", "issuer");
            clients.accredit(issuer);
            Party alice = clients.register("alice", "holder");
            Party exchange = clients.register("exchange-a", "consumer");
            clients.awaitVerified(List.of("kyc-co", "alice", "exchange-a"), "kyc-co", WAIT);
            Credentials.IssuedCredential credential = clients.issue(issuer, alice, KYC);
            clients.awaitStored("alice", credential.header().credentialId(), WAIT);
            String standing = clients.grant(alice, exchange, credential, "", COUNTRY, STANDING_USES);
            clients.awaitGranted(standing, WAIT);

            Map<String, String> approvals = new LinkedHashMap<>();
            // Every request, in the order sent; one sending thread and one holder, so the order of the offsets too.
            List<String> requests = new CopyOnWriteArrayList<>();
            Sending request = i -> {
                String requestId = clients.request(exchange, alice, COUNTRY).getRequestId();
                requests.add(requestId);
                return requestId;
            };
            try (FlowClients.DeliveryWatch watch = clients.watchDeliveries(exchange)) {
                // 1: a burst of requests has just started being answered.
                Batch burst = send(BURST_INTERVAL, BURST, request);
                int seen = killOnDeliveries(watch, 0, burst);
                // 2: requests keep coming while the processors restart; the restarted instance is killed ten
                // deliveries into the backlog.
                Batch stream = send(STREAM_INTERVAL, Integer.MAX_VALUE, request);
                processors = startProcessors();
                killOnDeliveries(watch, seen + 10, stream);
                burst.awaitAll(WAIT);
                stream.stop();
                processors = startProcessors();
                clients.awaitProcessed(APPLICATION_ID, WAIT);
                assertThat(requests).as("requests sent, more than the standing grant's uses and the approvals")
                        .hasSizeGreaterThan(STANDING_USES + APPROVALS);

                // 3: the holder approves parked requests one by one; the kill follows the first approved delivery.
                List<String> parked = requests.subList(STANDING_USES, STANDING_USES + APPROVALS);
                Batch approving = send(APPROVAL_INTERVAL, APPROVALS, i -> {
                    String grantId = clients.grant(alice, exchange, credential, parked.get(i), COUNTRY, 1);
                    approvals.put(parked.get(i), grantId);
                    return grantId;
                });
                killOnDeliveries(watch, STANDING_USES, approving);
                processors = startProcessors();
                approving.awaitAll(WAIT);
            }

            clients.awaitProcessed(APPLICATION_ID, WAIT);
            List<DeliveryEvent> events = clients.deliveries(exchange.id);

            Map<String, String> expectedGrants = new HashMap<>();
            requests.subList(0, STANDING_USES).forEach(id -> expectedGrants.put(id, standing));
            expectedGrants.putAll(approvals);
            Set<String> expectedPending = new HashSet<>(requests.subList(STANDING_USES, requests.size()));
            assertThat(clients.rejected()).as("rejected records, by reason").extracting(CrashSafetyIT::reason)
                    .isEmpty();
            assertAnsweredExactlyOnce(events, standing, expectedGrants, expectedPending);
            assertThat(credentialDeliveries(events)).allSatisfy(d ->
                    assertThat(verifyAsConsumer(d, exchange, issuer, alice))
                            .as("delivery for request %s, as the consumer verifies it", d.getRequestId())
                            .isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                                    verified -> assertThat(verified.values())
                                            .containsExactly(Map.entry("country", "DE"))));
        }
    }

    /**
     * Each request is delivered exactly once under the grant expected for it and no other is delivered, so that the
     * standing grant serves exactly its uses; each request expected to wait has exactly one PENDING notice and no
     * other has one; no notice of another kind is sent.
     */
    private static void assertAnsweredExactlyOnce(List<DeliveryEvent> events, String standing,
                                                  Map<String, String> expectedGrants, Set<String> expectedPending) {
        Map<String, List<String>> grantsByRequest = credentialDeliveries(events).stream().collect(Collectors.groupingBy(
                CredentialDelivery::getRequestId, Collectors.mapping(d -> d.getGrant().getGrantId(),
                        Collectors.toList())));
        assertThat(repeated(grantsByRequest)).as("requests delivered more than once").isEmpty();
        assertThat(grantsByRequest.values().stream().filter(grantIds -> grantIds.contains(standing)).count())
                .as("deliveries under the standing grant of %d uses", STANDING_USES).isEqualTo(STANDING_USES);
        assertThat(missing(expectedGrants.keySet(), grantsByRequest.keySet()))
                .as("requests never delivered, of %d expected", expectedGrants.size()).isEmpty();
        assertThat(missing(grantsByRequest.keySet(), expectedGrants.keySet()))
                .as("requests delivered that should have waited").isEmpty();
        grantsByRequest.forEach((requestId, grantIds) -> assertThat(grantIds)
                .as("grant that request %s was delivered under", requestId)
                .containsExactly(expectedGrants.get(requestId)));

        Map<String, List<NoticeKind>> noticesByRequest = notices(events).stream().collect(Collectors.groupingBy(
                ConsumerNotice::getRequestId, Collectors.mapping(ConsumerNotice::getKind, Collectors.toList())));
        assertThat(repeated(noticesByRequest)).as("requests given more than one notice").isEmpty();
        assertThat(missing(expectedPending, noticesByRequest.keySet()))
                .as("waiting requests never told PENDING, of %d expected", expectedPending.size()).isEmpty();
        assertThat(missing(noticesByRequest.keySet(), expectedPending))
                .as("requests given a notice that should have been delivered at once").isEmpty();
        assertThat(noticesByRequest.values()).as("notice kinds").allSatisfy(kinds ->
                assertThat(kinds).containsExactly(NoticeKind.PENDING));
    }

    private static <T> Map<String, List<T>> repeated(Map<String, List<T>> byRequest) {
        Map<String, List<T>> repeated = new HashMap<>(byRequest);
        repeated.values().removeIf(answers -> answers.size() < 2);
        return repeated;
    }

    private static Set<String> missing(Set<String> expected, Set<String> actual) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        return missing;
    }

    /**
     * Waits until more than {@code deliveries} deliveries are committed, checks that {@code batch} is still being sent,
     * and kills the processors. Returns every delivery the killed instance committed, so that what comes after is the
     * next instance's work.
     */
    private int killOnDeliveries(FlowClients.DeliveryWatch watch, int deliveries, Batch batch)
            throws InterruptedException {
        watch.awaitMoreThan(deliveries, WAIT);
        assertThat(batch.isSending()).as("the batch is still being sent at the kill").isTrue();
        processors.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(processors.isAlive()).as("the processors are dead").isFalse();
        return watch.deliveredToEnd(WAIT);
    }

    /**
     * Sends a batch at a steady pace, the way live clients do, from one thread: for one holder, the order of the ids
     * is the order of the records' offsets.
     */
    private Batch send(Duration interval, int count, Sending sending) {
        Batch batch = new Batch();
        batch.task = senders.scheduleAtFixedRate(() -> {
            if (batch.done.isDone()) {
                return;
            }
            try {
                batch.ids.add(sending.send(batch.ids.size()));
                if (batch.ids.size() == count) {
                    batch.done.complete(null);
                }
            } catch (Exception e) {
                batch.done.completeExceptionally(e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return batch;
    }

    @FunctionalInterface
    private interface Sending {
        String send(int index) throws Exception;
    }

    /** The ids a paced sender has sent so far, in the order it sent them. */
    private final class Batch {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Future<?> task;

        /** True until the whole batch is sent or a send failed. */
        boolean isSending() {
            return !done.isDone();
        }

        /** Stops sending; returns once the send under way, if any, is done. */
        void stop() throws Exception {
            task.cancel(false);
            senders.submit(() -> done.complete(null)).get();
            done.get();
        }

        /** Waits until the whole batch is sent; fails with the first send that failed. */
        void awaitAll(Duration timeout) throws Exception {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            task.cancel(false);
        }
    }

    private static String reason(ConsumerRecord<byte[], byte[]> rejected) {
        Header reason = rejected.headers().lastHeader(GuardedProcessor.REASON_HEADER);
        return reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8);
    }

    private Path processorProperties(Platform platform) throws IOException {
        Properties props = new Properties();
        props.put(ProcessorsConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        props.put("schema.registry.url", platform.schemaRegistryUrl());
        props.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
        props.put(ProcessorsConfig.APPLICATION_ID, APPLICATION_ID);
        props.put(TopicCatalogConfig.PARTITIONS, String.valueOf(PARTITIONS));
        props.put(ProcessorsConfig.STATE_DIR, dir.resolve("state").toString());
        // Every request beyond the standing grant's uses stays parked: room for all of them, none refused for it.
        props.put(ProcessorsConfig.MAX_PENDING_PER_CONSUMER, "10000");
        // A killed member leaves no goodbye. A static member restarted under the same instance id takes its place
        // without waiting for the old member's session to expire; the test is about what a restart restores.
        props.put("group.instance.id", "crash-safety-processors-instance");
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "1000");
        // Records go to the broker as they are produced, not at the commit: a kill leaves the open transaction's
        // records in the log, aborted, and only a read_committed reader skips them.
        props.put("producer.linger.ms", "0");
        Path file = dir.resolve("processors.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, null);
        }
        return file;
    }

    /**
     * The processors in a JVM of their own, so that they can be killed without a shutdown. Each start logs to a file of
     * its own under target/, kept after the test to tell what each instance did.
     */
    private Process startProcessors() throws IOException {
        Path log = Path.of("target", "crash-processors-" + (started.size() + 1) + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProcessorsApp.class.getName(),
                processorProperties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(process);
        return process;
    }
}
