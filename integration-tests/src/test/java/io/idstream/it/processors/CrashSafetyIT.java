package io.idstream.it.processors;

import io.idstream.avro.DeliveryEvent;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.it.SeparateJvm;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.Party;
import io.idstream.topics.TopicCatalogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
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
    Properties processorProperties;
    SeparateJvm processors;
    final List<SeparateJvm> started = new ArrayList<>();
    final ScheduledExecutorService senders = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopEverything() {
        senders.shutdownNow();
        started.forEach(CrashSafetyIT::killQuietly);
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
            PacedBatch.Sending request = i -> {
                String requestId = clients.request(exchange, alice, COUNTRY).getRequestId();
                requests.add(requestId);
                return requestId;
            };
            try (FlowClients.DeliveryWatch watch = clients.watchDeliveries(exchange)) {
                // 1: a burst of requests has just started being answered.
                PacedBatch burst = PacedBatch.send(senders, BURST_INTERVAL, BURST, request);
                int seen = killOnDeliveries(watch, 0, burst);
                // 2: requests keep coming while the processors restart; the restarted instance is killed ten
                // deliveries into the backlog.
                PacedBatch stream = PacedBatch.send(senders, STREAM_INTERVAL, Integer.MAX_VALUE, request);
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
                PacedBatch approving = PacedBatch.send(senders, APPROVAL_INTERVAL, APPROVALS, i -> {
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
            assertThat(clients.rejectionReasons()).as("rejected records, by reason").isEmpty();
            AnsweredOnce.assertAnsweredExactlyOnce(events, Map.of(standing, STANDING_USES), expectedGrants,
                    expectedPending);
            assertThat(credentialDeliveries(events)).allSatisfy(d ->
                    assertThat(verifyAsConsumer(d, exchange, issuer, alice))
                            .as("delivery for request %s, as the consumer verifies it", d.getRequestId())
                            .isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                                    verified -> assertThat(verified.values())
                                            .containsExactly(Map.entry("country", "DE"))));
        }
    }

    /**
     * Waits until more than {@code deliveries} deliveries are committed, checks that {@code batch} is still being sent,
     * and kills the processors. Returns every delivery the killed instance committed, so that what comes after is the
     * next instance's work.
     */
    private int killOnDeliveries(FlowClients.DeliveryWatch watch, int deliveries, PacedBatch batch)
            throws InterruptedException {
        watch.awaitMoreThan(deliveries, WAIT);
        assertThat(batch.isSending()).as("the batch is still being sent at the kill").isTrue();
        processors.kill();
        assertThat(processors.isAlive()).as("the processors are dead").isFalse();
        return watch.deliveredToEnd(WAIT);
    }

    private Properties processorProperties(Platform platform) {
        Properties props = ProcessorsJvm.properties(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                platform.operatorKey(), APPLICATION_ID, PARTITIONS, dir.resolve("state"));
        // A killed member leaves no goodbye. A static member restarted under the same instance id takes its place
        // without waiting for the old member's session to expire; the test is about what a restart restores.
        props.put("group.instance.id", "crash-safety-processors-instance");
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "1000");
        return props;
    }

    private static void killQuietly(SeparateJvm process) {
        try {
            process.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The processors in a JVM of their own, so that they can be killed without a shutdown. */
    private SeparateJvm startProcessors() throws IOException {
        SeparateJvm process = ProcessorsJvm.start("crash-processors-" + (started.size() + 1), processorProperties,
                dir.resolve("processors.properties"));
        started.add(process);
        return process;
    }
}
