package io.idstream.it.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DeliveryEvent;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.it.BytesAtRest;
import io.idstream.it.SeparateJvm;
import io.idstream.it.processors.AnswerTimeline.Answer;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.registry.EmbeddedSchemaRegistry;
import io.idstream.processors.Party;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No single point of failure, under load: a three-node KRaft cluster (each node a combined broker and controller in
 * a JVM of its own, topics with three replicas and min ISR 2) and two processors instances (each in a JVM of its own,
 * one standby replica of every task) serve a steady stream of signed requests from a consumer against the standing
 * grants of three holders, one per partition, while, cycle after cycle, the test kills (SIGKILL) the node that leads
 * a holder's partition, then the active controller, then one processors instance, restarting each once every holder
 * is answered again, and finally restarts both processors instances one at a time, gracefully. Before each fault the
 * cluster is whole again, every replica in sync.
 *
 * <p>Afterwards every request the cluster acknowledged is on the requests topic and was answered exactly once, as
 * the consumer reads its delivery topic (committed records only): within a grant's uses by one delivery that the
 * consumer verifies and decrypts, beyond them by one PENDING notice, so that the limited grant served exactly its
 * uses. No node's disk and no processors state dir holds a field's plaintext value. The recovery after each fault
 * (fault to the next verified delivery of a request sent after it, and to every holder answered) is printed as one
 * summary block.
 */
// Two cycles of four faults take about three minutes on a quiet two-core machine, over five on a busy one.
@Timeout(420)
class ClusterFaultInjectionIT {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultInjectionIT.class);
    static final int NODES = 3;
    static final int CYCLES = 2;
    static final int PARTITIONS = 3;
    static final String APPLICATION_ID = "cluster-faults-processors";
    static final List<String> FIELDS = List.of("country", "full_name");
    /** The fields whose values are long enough to search the disks for: one disclosed, one never requested. */
    static final List<String> SEARCHABLE_FIELDS = List.of("full_name", "document_number");
    /** The first holder's grant runs out during the run; the others' never do. */
    static final int LIMITED_USES = 120;
    static final int AMPLE_USES = 10_000;
    static final Duration REQUEST_INTERVAL = Duration.ofMillis(60);
    static final Duration START = Duration.ofSeconds(90);
    static final Duration RECOVERY = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(60);

    static final String LEADER_KILL = "partition leader SIGKILL";
    static final String CONTROLLER_KILL = "active controller SIGKILL";
    static final String PROCESSORS_KILL = "processors instance SIGKILL";
    static final String ROLLING_RESTART = "processors rolling restart";

    @TempDir
    Path dir;
    KafkaNodeJvms nodes;
    ClusterView cluster;
    final SeparateJvm[] processors = new SeparateJvm[2];
    final List<SeparateJvm> processorStarts = new ArrayList<>();
    Properties[] processorProperties = new Properties[2];
    final ScheduledExecutorService senders = Executors.newSingleThreadScheduledExecutor();

    /** Each request the cluster acknowledged, by id, with its holder and when its send began. */
    final Map<String, SentRequest> sent = new ConcurrentHashMap<>();
    final List<Fault> faults = new CopyOnWriteArrayList<>();

    record SentRequest(String requestId, String holderId, long sentAtMillis) {
    }

    record Fault(String kind, String target, long atMillis) {
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        senders.shutdownNow();
        for (SeparateJvm process : processorStarts) {
            process.kill();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void killingBrokersControllersAndProcessorsUnderLoadLosesNothingAndAnswersEachRequestOnce() throws Exception {
        long started = System.currentTimeMillis();
        Map<String, Map<String, String>> kyc;
        KafkaClusterLayout layout = KafkaClusterLayout.consecutive(NODES, 0);
        nodes = new KafkaNodeJvms(dir.resolve("kafka"), layout, "cluster-faults");
        nodes.startAll(START);
        cluster = new ClusterView(layout.bootstrapServers());

        Map<String, Object> catalogConfigs = new HashMap<>();
        catalogConfigs.put(TopicCatalogConfig.PARTITIONS, PARTITIONS);
        // Explicit, so the test holds whether the catalogue's default is one replica or the cluster's default.
        catalogConfigs.put(TopicCatalogConfig.REPLICATION_FACTOR, String.valueOf(layout.replicationFactor()));
        new TopicProvisioner(cluster.admin(), WAIT).provision(TopicCatalog.create(catalogConfigs).platformTopics());
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(layout.bootstrapServers(),
                TopicCatalog.create(catalogConfigs).schemas(), 0, Map.of())) {
            catalogConfigs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            TopicCatalog catalog = TopicCatalog.create(catalogConfigs);
            SigningKeyPair operator = SigningKeyPair.generate();
            for (int instance = 0; instance < processors.length; instance++) {
                processorProperties[instance] = processorProperties(layout, registry.url(), operator, instance);
                processors[instance] = startProcessors(instance);
            }
            for (SeparateJvm instance : processors) {
                ProcessorsJvm.awaitRunning(instance, START);
            }
            cluster.awaitGroup(APPLICATION_ID, processors.length, START);
            cluster.awaitWhole(NODES, START);
            LOG.info("Cluster and processors up afterMs={}", System.currentTimeMillis() - started);

            try (FlowClients clients = new FlowClients(layout.bootstrapServers(), catalog, operator)) {
                kyc = runUnderFaults(clients, catalog, layout.bootstrapServers(), started);
            }
        }
        stopAllProcesses();
        assertNoPlaintextAtRest(kyc);
    }

    /** Runs the load and the faults; returns each holder's credential, by field name. */
    private Map<String, Map<String, String>> runUnderFaults(FlowClients clients, TopicCatalog catalog,
                                                            String bootstrapServers, long started) throws Exception {
        Party issuer = clients.register("kyc-co", "issuer");
        clients.accredit(issuer);
        Party exchange = clients.register("exchange-a", "consumer");
        List<Party> holders = new ArrayList<>();
        for (String id : holderIdsOnePerPartition()) {
            holders.add(clients.register(id, "holder"));
        }
        List<String> ids = new ArrayList<>(List.of(issuer.id, exchange.id));
        holders.forEach(holder -> ids.add(holder.id));
        clients.awaitVerified(ids, issuer.id, WAIT);

        Map<String, Map<String, String>> kyc = new HashMap<>();
        Map<String, Party> holderById = new HashMap<>();
        Map<String, String> grantByHolder = new LinkedHashMap<>();
        for (Party holder : holders) {
            holderById.put(holder.id, holder);
            // Values long enough to search the disks for; the country is too short to, and is delivered anyway.
            kyc.put(holder.id, Map.of("country", "DE", "full_name", "Full name of " + holder.id + " " + random(),
                    "document_number", "DOC-" + random()));
            Credentials.IssuedCredential credential = clients.issue(issuer, holder, kyc.get(holder.id));
            clients.awaitStored(holder.id, credential.header().credentialId(), WAIT);
            int uses = grantByHolder.isEmpty() ? LIMITED_USES : AMPLE_USES;
            grantByHolder.put(holder.id, clients.grant(holder, exchange, credential, "", FIELDS, uses));
        }
        grantByHolder.values().forEach(grantId -> clients.awaitGranted(grantId, WAIT));
        cluster.awaitTopic(catalog.deliveries(exchange.id).name(), WAIT);

        try (AnswerTimeline timeline = new AnswerTimeline(bootstrapServers,
                catalog.deliveries(exchange.id),
                delivery -> verifyAsConsumer(delivery, exchange, issuer, holderById.get(delivery.getHolderId())))) {
            PacedBatch stream = PacedBatch.send(senders, REQUEST_INTERVAL, Integer.MAX_VALUE, i -> {
                Party holder = holders.get(i % holders.size());
                long sentAt = System.currentTimeMillis();
                AccessRequest request = clients.request(exchange, holder, FIELDS);
                sent.put(request.getRequestId(), new SentRequest(request.getRequestId(), holder.id, sentAt));
                return request.getRequestId();
            });
            LOG.info("Load started afterMs={}", System.currentTimeMillis() - started);
            Set<Integer> holderPartitions = holders.stream()
                    .map(holder -> HolderKeys.partitionOf(holder.id, PARTITIONS)).collect(Collectors.toSet());
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                killPartitionLeader(catalog.accessRequests().name(), holderPartitions, timeline, holders);
                killActiveController(timeline, holders);
                killProcessorsInstance(cycle % processors.length, timeline, holders);
                restartProcessorsOneByOne(timeline, holders);
            }
            stream.stop();
            LOG.info("Load stopped afterMs={} requests={}", System.currentTimeMillis() - started, stream.ids().size());
            clients.awaitProcessed(APPLICATION_ID, WAIT);
            timeline.awaitReadToEnd(cluster.admin(), WAIT);

            List<String> sentIds = stream.ids();
            Set<String> onTopic = clients.readToEnd(catalog.accessRequests()).stream().map(ConsumerRecord::value)
                    .map(AccessRequest::getRequestId).collect(Collectors.toSet());
            List<Answer> answers = timeline.answers();
            FaultReport report = new FaultReport(faults, sent, answers, holders.size());
            report.print(sentIds, onTopic, System.currentTimeMillis() - started);

            assertThat(AnsweredOnce.missing(new HashSet<>(sentIds), onTopic))
                    .as("requests acknowledged to the consumer's producer but not on the requests topic").isEmpty();
            assertThat(clients.rejectionReasons()).as("rejected records, by reason").isEmpty();
            assertThat(stream.ids().stream().filter(id -> sent.get(id).holderId().equals(holders.get(0).id)).count())
                    .as("requests to the holder whose grant runs out").isGreaterThan(LIMITED_USES);
            assertAnsweredExactlyOnce(timeline.events(), holders, grantByHolder, sentIds);
            assertThat(answers.stream().filter(answer -> answer.verification() != null)).allSatisfy(answer ->
                    assertThat(answer.verification())
                            .as("delivery for request %s, as the consumer verifies it", answer.requestId())
                            .isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                                    verified -> assertThat(verified.values()).isEqualTo(
                                            disclosed(kyc.get(answer.holderId())))));
        }
        return kyc;
    }

    /**
     * The first holder's first {@value #LIMITED_USES} requests, in the order sent (one sending thread, so the order
     * of the offsets), are delivered under its grant and the rest wait with a PENDING notice; every request to the
     * other holders is delivered under theirs.
     */
    private static void assertAnsweredExactlyOnce(List<DeliveryEvent> events, List<Party> holders,
                                                  Map<String, String> grantByHolder, List<String> sentIds) {
        Map<String, String> expectedGrants = new HashMap<>();
        Set<String> expectedPending = new HashSet<>();
        Map<String, Integer> sentToHolder = new HashMap<>();
        for (int i = 0; i < sentIds.size(); i++) {
            String holderId = holders.get(i % holders.size()).id;
            int index = sentToHolder.merge(holderId, 1, Integer::sum);
            if (holderId.equals(holders.get(0).id) && index > LIMITED_USES) {
                expectedPending.add(sentIds.get(i));
            } else {
                expectedGrants.put(sentIds.get(i), grantByHolder.get(holderId));
            }
        }
        AnsweredOnce.assertAnsweredExactlyOnce(events, Map.of(grantByHolder.get(holders.get(0).id), LIMITED_USES),
                expectedGrants, expectedPending);
    }

    private static Map<String, String> disclosed(Map<String, String> credential) {
        Map<String, String> disclosed = new HashMap<>();
        FIELDS.forEach(field -> disclosed.put(field, credential.get(field)));
        return disclosed;
    }

    /**
     * The raw bytes of every file the three nodes and the processors wrote hold none of the values long enough to
     * search for ({@link BytesAtRest} refuses shorter ones); the control is a holder id, plaintext by design, which
     * the same scan must find.
     */
    private void assertNoPlaintextAtRest(Map<String, Map<String, String>> kyc) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        kyc.forEach((holderId, fields) -> SEARCHABLE_FIELDS.forEach(name ->
                values.put(name + " of " + holderId, fields.get(name))));
        List<Path> dirs = new ArrayList<>(nodes.nodeDirs());
        dirs.add(dir.resolve("state-0"));
        dirs.add(dir.resolve("state-1"));
        BytesAtRest disks = BytesAtRest.under(dirs);
        assertThat(disks.files()).as("segments of the holders' topics on every node")
                .anyMatch(file -> file.startsWith(nodes.nodeDir(1)) && file.toString().endsWith(".log"))
                .anyMatch(file -> file.startsWith(nodes.nodeDir(2)) && file.toString().endsWith(".log"))
                .anyMatch(file -> file.startsWith(nodes.nodeDir(3)) && file.toString().endsWith(".log"));
        assertThat(disks.filesHolding(values)).as("plaintext values found, with the files holding them").isEmpty();
        assertThat(disks.filesHolding(Map.of("a holder id", kyc.keySet().iterator().next())))
                .as("files in which the same scan finds a holder's id, plaintext by design").isNotEmpty();
    }

    // ---- faults ----

    /** Kills the node that leads a holder's partition (one that is not the active controller, when there is one). */
    private void killPartitionLeader(String topic, Set<Integer> holderPartitions, AnswerTimeline timeline,
                                     List<Party> holders) throws Exception {
        Set<Integer> leaders = cluster.leadersOf(topic, holderPartitions);
        int controller = cluster.activeController();
        int victim = leaders.stream().filter(id -> id != controller).findFirst().orElse(leaders.iterator().next());
        Fault fault = inject(LEADER_KILL, "node " + victim);
        nodes.kill(victim);
        awaitEveryHolderAnsweredAfter(fault, timeline, holders);
        restartNode(victim);
    }

    private void restartNode(int nodeId) throws Exception {
        long restart = System.currentTimeMillis();
        nodes.start(nodeId, START);
        long up = System.currentTimeMillis();
        cluster.awaitWhole(NODES, RECOVERY);
        LOG.info("Node restarted nodeId={} upMs={} wholeMs={}", nodeId, up - restart,
                System.currentTimeMillis() - restart);
    }

    private void killActiveController(AnswerTimeline timeline, List<Party> holders) throws Exception {
        int victim = cluster.activeController();
        Fault fault = inject(CONTROLLER_KILL, "node " + victim);
        nodes.kill(victim);
        awaitEveryHolderAnsweredAfter(fault, timeline, holders);
        restartNode(victim);
    }

    /** Kills one instance: its tasks move to the other, which holds standbys of them, once its session expires. */
    private void killProcessorsInstance(int instance, AnswerTimeline timeline, List<Party> holders)
            throws Exception {
        Fault fault = inject(PROCESSORS_KILL, "instance " + instance);
        processors[instance].kill();
        awaitEveryHolderAnsweredAfter(fault, timeline, holders);
        restartProcessors(instance);
    }

    /** A rolling restart as an operator does it: each instance stopped (SIGTERM) and started again in turn. */
    private void restartProcessorsOneByOne(AnswerTimeline timeline, List<Party> holders) throws Exception {
        Fault fault = inject(ROLLING_RESTART, "both instances");
        for (int instance = 0; instance < processors.length; instance++) {
            processors[instance].stop();
            restartProcessors(instance);
        }
        awaitEveryHolderAnsweredAfter(fault, timeline, holders);
    }

    private Fault inject(String kind, String target) {
        Fault fault = new Fault(kind, target, System.currentTimeMillis());
        faults.add(fault);
        LOG.info("Fault injected kind=\"{}\" target=\"{}\" fault={}", kind, target, faults.size());
        return fault;
    }

    /** Waits until each holder's requests sent after the fault are being answered again. */
    private void awaitEveryHolderAnsweredAfter(Fault fault, AnswerTimeline timeline, List<Party> holders) {
        Awaitility.await("every holder answered again after " + fault.kind() + " of " + fault.target())
                .atMost(RECOVERY).pollInterval(Duration.ofMillis(50)).until(() -> {
                    Set<String> answered = timeline.answers().stream()
                            .map(answer -> sent.get(answer.requestId()))
                            .filter(request -> request != null && request.sentAtMillis() >= fault.atMillis())
                            .map(SentRequest::holderId).collect(Collectors.toSet());
                    return answered.size() == holders.size();
                });
        LOG.info("Every holder answered again kind=\"{}\" afterMs={}", fault.kind(),
                System.currentTimeMillis() - fault.atMillis());
    }

    private void restartProcessors(int instance) throws Exception {
        long restart = System.currentTimeMillis();
        processors[instance] = startProcessors(instance);
        ProcessorsJvm.awaitRunning(processors[instance], START);
        long running = System.currentTimeMillis();
        cluster.awaitGroup(APPLICATION_ID, processors.length, START);
        LOG.info("Processors restarted instance={} runningMs={} groupStableMs={}", instance, running - restart,
                System.currentTimeMillis() - restart);
    }

    // ---- set-up ----

    /** Holder ids whose records land one in each partition. */
    private static List<String> holderIdsOnePerPartition() {
        Map<Integer, String> byPartition = new LinkedHashMap<>();
        for (char c = 'a'; byPartition.size() < PARTITIONS; c++) {
            byPartition.putIfAbsent(HolderKeys.partitionOf("holder-" + c, PARTITIONS), "holder-" + c);
        }
        return List.copyOf(byPartition.values());
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private Properties processorProperties(KafkaClusterLayout layout, String registryUrl, SigningKeyPair operator,
                                           int instance) {
        Properties props = ProcessorsJvm.properties(layout.bootstrapServers(), registryUrl, operator,
                APPLICATION_ID, PARTITIONS, dir.resolve("state-" + instance));
        props.put(TopicCatalogConfig.REPLICATION_FACTOR, String.valueOf(layout.replicationFactor()));
        // A warm copy of every task's state on the other instance, so that a failover restores little.
        props.put("num.standby.replicas", "1");
        // A killed instance leaves no goodbye: its tasks move once its session expires.
        props.put("session.timeout.ms", "10000");
        props.put("heartbeat.interval.ms", "2000");
        return props;
    }

    private SeparateJvm startProcessors(int instance) throws Exception {
        SeparateJvm process = ProcessorsJvm.start("cluster-faults-processors-" + instance + "-start-"
                + (processorStarts.size() + 1), processorProperties[instance],
                dir.resolve("processors-" + instance + ".properties"));
        processorStarts.add(process);
        return process;
    }

    /** Everything that writes to the disks is stopped, so that the scan reads files at rest. */
    private void stopAllProcesses() throws InterruptedException {
        for (SeparateJvm instance : processors) {
            instance.kill();
        }
        cluster.close();
        cluster = null;
        nodes.close();
    }
}
