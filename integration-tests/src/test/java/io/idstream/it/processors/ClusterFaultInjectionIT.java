package io.idstream.it.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.GrantState;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.it.BytesAtRest;
import io.idstream.it.SeparateJvm;
import io.idstream.it.processors.AnswerTimeline.Answer;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.registry.EmbeddedSchemaRegistry;
import io.idstream.processors.Party;
import io.idstream.processors.StoreNames;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.SpecificAvroSerde;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.assertj.core.api.SoftAssertions;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No single point of failure, under load, on the shipped defaults: a three-node KRaft cluster (each node a combined
 * broker and controller in a JVM of its own) and two processors instances (each in a JVM of its own, configured with
 * nothing but where things are, so that replication, standbys and the session are their defaults) serve a steady
 * stream of signed requests from a consumer against the standing grants of three holders, one per partition, while
 * the test kills (SIGKILL) the node that leads a holder's partition, then the active controller, then one processors
 * instance, restarting each once every holder is served again, and finally restarts the two processors instances one
 * at a time, gracefully. Before each fault the cluster is whole again, every replica in sync. Each fault comes after
 * the recovery from the ones before it (the controller killed once the killed leader is back, the processors killed
 * once both nodes have rejoined), so one pass through the fault kinds already tests a cluster that has recovered;
 * another pass would repeat the same faults on the same state and prove nothing more.
 *
 * <p>Afterwards every request the cluster acknowledged is on the requests topic and was delivered exactly once, as
 * the consumer reads its delivery topic (committed records only), by a delivery that the consumer verifies and
 * decrypts; the uses each grant has spent, as the processors' grants changelog last records them, equal the
 * deliveries under it, and the holder's audit trail records each of them once: a use counted twice, or lost, across
 * any of the faults shows. Every topic on the cluster, internal ones included, has three replicas and min ISR 2. No
 * node's disk and no processors state dir holds a field's value, as is, in hex or in base64, while the same scan finds
 * a holder's id in each. These checks are all reported together. The recovery after each fault is printed as one
 * summary block and written to {@value FaultReport#FILE}.
 */
// One pass through the faults takes two to three minutes on a quiet two-core machine, almost four on a busy one.
@Timeout(360)
class ClusterFaultInjectionIT {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultInjectionIT.class);
    static final int NODES = 3;
    static final int PARTITIONS = 3;
    static final String APPLICATION_ID = "cluster-faults-processors";
    static final List<String> FIELDS = List.of("country", "full_name");
    /** The fields whose values are long enough to search the disks for: one disclosed, one never requested. */
    static final List<String> SEARCHABLE_FIELDS = List.of("full_name", "document_number");
    /**
     * More uses than the run sends to a holder (about 700 at {@link #REQUEST_INTERVAL} on a quiet machine), so that
     * every holder is delivered to throughout and a use counted twice after a fault is seen in the count the grant
     * keeps, not hidden by a grant that ran out before the faults.
     */
    static final int GRANT_USES = 10_000;
    /** Replicas of every topic on a three-node cluster, and the min ISR that lets one node be down. */
    static final int REPLICAS = 3;
    static final int MIN_INSYNC_REPLICAS = 2;
    static final Duration REQUEST_INTERVAL = Duration.ofMillis(60);
    static final Duration START = Duration.ofSeconds(90);
    static final Duration RECOVERY = Duration.ofSeconds(90);
    static final Duration WAIT = Duration.ofSeconds(60);

    static final String LEADER_KILL = "partition leader SIGKILL";
    static final String CONTROLLER_KILL = "active controller SIGKILL";
    static final String PROCESSORS_KILL = "processors instance SIGKILL";
    static final String ROLLING_RESTART = "processors instance restart";

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
    /** The checks of a run, each made after the load, all reported together at its end. */
    final SoftAssertions softly = new SoftAssertions();

    record SentRequest(String requestId, String holderId, long sentAtMillis) {
    }

    /**
     * A fault at {@code atMillis}; it is over, and requests sent from {@code settledAtMillis} on measure the recovery
     * from all of it: for a kill the fault's own time, for a restart the time the group is whole again.
     */
    record Fault(String kind, String target, long atMillis, long settledAtMillis) {
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

            SpecificAvroSerde<GrantState> grantStates = new SpecificAvroSerde<>(GrantState.class);
            grantStates.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
            Topic<String, GrantState> grantsChangelog = new Topic<>(APPLICATION_ID + "-" + StoreNames.GRANTS
                    + "-changelog", PARTITIONS, (short) REPLICAS, Map.of(), Serdes::String, () -> grantStates);
            try (FlowClients clients = new FlowClients(layout.bootstrapServers(), catalog, operator)) {
                kyc = runUnderFaults(clients, catalog, grantsChangelog, layout.bootstrapServers(), started);
            }
        }
        LOG.info("Checks made afterMs={}", System.currentTimeMillis() - started);
        stopAllProcesses();
        assertNoPlaintextAtRest(kyc);
        LOG.info("Disks scanned afterMs={}", System.currentTimeMillis() - started);
        // A run takes minutes: every check that fails is reported at once.
        softly.assertAll();
    }

    /** Runs the load and the faults; returns each holder's credential, by field name. */
    private Map<String, Map<String, String>> runUnderFaults(FlowClients clients, TopicCatalog catalog,
                                                            Topic<String, GrantState> grantsChangelog,
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
        }
        // The holders do not wait for each other: each one's consent, credential and grant go out at once.
        ExecutorService holderSetUp = Executors.newFixedThreadPool(holders.size());
        try {
            List<Future<String>> grants = new ArrayList<>();
            for (Party holder : holders) {
                grants.add(holderSetUp.submit(() -> {
                    Credentials.IssuedCredential credential = clients.issue(issuer, holder, kyc.get(holder.id));
                    clients.awaitStored(holder.id, credential.header().credentialId(), WAIT);
                    return clients.grant(holder, exchange, credential, "", FIELDS, GRANT_USES);
                }));
            }
            for (int i = 0; i < holders.size(); i++) {
                grantByHolder.put(holders.get(i).id, grants.get(i).get());
            }
        } finally {
            holderSetUp.shutdownNow();
        }
        grantByHolder.values().forEach(grantId -> clients.awaitGranted(grantId, WAIT));
        cluster.awaitTopic(catalog.deliveries(exchange.id).name(), WAIT);
        LOG.info("Holders granted afterMs={}", System.currentTimeMillis() - started);

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
            Load load = new Load(stream, timeline, holders);
            killPartitionLeader(catalog.accessRequests().name(), holderPartitions, load);
            killActiveController(load);
            killProcessorsInstance(0, load);
            restartProcessorsOneByOne(load);
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

            softly.assertThat(AnsweredOnce.missing(new HashSet<>(sentIds), onTopic))
                    .as("requests acknowledged to the consumer's producer but not on the requests topic").isEmpty();
            softly.assertThat(clients.rejectionReasons()).as("rejected records, by reason").isEmpty();
            Map<String, Integer> usesSpent = usesSpentByGrant(clients.readToEnd(grantsChangelog));
            softly.assertThat(usesSpent.keySet()).as("grants in the processors' grants changelog")
                    .containsExactlyInAnyOrderElementsOf(grantByHolder.values());
            softly.check(() -> assertDeliveredExactlyOnce(timeline.events(), holders, grantByHolder, sentIds,
                    usesSpent));
            softly.assertThat(auditedDeliveriesByGrant(clients.readToEnd(catalog.audit())))
                    .as("requests the holders' audit trail records as delivered, by grant")
                    .isEqualTo(deliveredRequestsByGrant(answers));
            softly.assertThat(answers.stream().filter(answer -> answer.verification() != null)).allSatisfy(answer ->
                    assertThat(answer.verification())
                            .as("delivery for request %s, as the consumer verifies it", answer.requestId())
                            .isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                                    verified -> assertThat(verified.values()).isEqualTo(
                                            disclosed(kyc.get(answer.holderId())))));
            assertReplicatedOnTheDefaults(catalog, catalog.deliveries(exchange.id).name());
        }
        return kyc;
    }

    /** What a wait for recovery watches: the stream of requests, the consumer's answers, the holders served. */
    private record Load(PacedBatch stream, AnswerTimeline timeline, List<Party> holders) {
    }

    /** The uses each grant has spent, as the last record of its key in the grants changelog says. */
    private static Map<String, Integer> usesSpentByGrant(List<ConsumerRecord<String, GrantState>> changelog) {
        Map<String, GrantState> latest = new HashMap<>();
        changelog.forEach(record -> latest.put(record.key(), record.value()));
        Map<String, Integer> uses = new HashMap<>();
        latest.values().stream().filter(Objects::nonNull).forEach(state ->
                uses.put(state.getGrant().getGrantId(), state.getUsesSpent()));
        return uses;
    }

    /** Request ids delivered, in a list per grant so that a request recorded twice shows, sorted. */
    private static Map<String, List<String>> deliveredRequestsByGrant(List<Answer> answers) {
        return sortedByGrant(answers.stream().filter(answer -> answer.verification() != null)
                .map(answer -> (CredentialDelivery) answer.event().getEvent())
                .map(delivery -> Map.entry(delivery.getGrant().getGrantId(), delivery.getRequestId())).toList());
    }

    private static Map<String, List<String>> auditedDeliveriesByGrant(
            List<ConsumerRecord<String, AccessAudit>> audit) {
        return sortedByGrant(audit.stream().map(ConsumerRecord::value)
                .filter(entry -> entry.getOutcome() == AuditOutcome.DELIVERED)
                .map(entry -> Map.entry(entry.getGrantId(), entry.getRequestId())).toList());
    }

    private static Map<String, List<String>> sortedByGrant(List<Map.Entry<String, String>> grantAndRequest) {
        Map<String, List<String>> byGrant = new TreeMap<>();
        grantAndRequest.forEach(entry -> byGrant.computeIfAbsent(entry.getKey(), grant -> new ArrayList<>())
                .add(entry.getValue()));
        byGrant.values().forEach(Collections::sort);
        return byGrant;
    }

    /**
     * Every topic on the cluster, the catalogue's, the consumer's delivery topic, the processors' internal topics and
     * the brokers' own, has three replicas of each partition and an effective min ISR of two, though neither the
     * catalogue nor the processors were told a replication factor.
     */
    private void assertReplicatedOnTheDefaults(TopicCatalog catalog, String deliveryTopic) throws Exception {
        Map<String, String> replication = cluster.replicationOfEveryTopic();
        softly.assertThat(replication).as("topics on the cluster").containsKeys(catalog.accessRequests().name(),
                catalog.audit().name(), deliveryTopic, APPLICATION_ID + "-" + StoreNames.GRANTS + "-changelog",
                "__consumer_offsets", "__transaction_state");
        Map<String, String> otherwise = new TreeMap<>(replication);
        otherwise.values().removeIf(topic -> topic.matches("replicas=\\[" + REPLICAS + "(, " + REPLICAS
                + ")*] minIsr=" + MIN_INSYNC_REPLICAS));
        softly.assertThat(otherwise).as("topics without %d replicas of every partition and min ISR %d", REPLICAS,
                MIN_INSYNC_REPLICAS).isEmpty();
    }

    /**
     * Every request is delivered once, under its holder's grant, and no request waits; each grant's deliveries are
     * as many as the uses it has spent.
     */
    private static void assertDeliveredExactlyOnce(List<DeliveryEvent> events, List<Party> holders,
                                                   Map<String, String> grantByHolder, List<String> sentIds,
                                                   Map<String, Integer> usesSpent) {
        Map<String, String> expectedGrants = new HashMap<>();
        for (int i = 0; i < sentIds.size(); i++) {
            expectedGrants.put(sentIds.get(i), grantByHolder.get(holders.get(i % holders.size()).id));
        }
        AnsweredOnce.assertAnsweredExactlyOnce(events, usesSpent, expectedGrants, Set.of());
    }

    private static Map<String, String> disclosed(Map<String, String> credential) {
        Map<String, String> disclosed = new HashMap<>();
        FIELDS.forEach(field -> disclosed.put(field, credential.get(field)));
        return disclosed;
    }

    /**
     * The raw bytes of every file the three nodes and the processors wrote hold none of the values long enough to
     * search for ({@link BytesAtRest} refuses shorter ones), in any of their forms; the control is the holders' ids,
     * plaintext by design, which the same scan must find in each node's dir and in each processors state dir, so that
     * every one of them was searched and holds the holders' records.
     */
    private void assertNoPlaintextAtRest(Map<String, Map<String, String>> kyc) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        kyc.forEach((holderId, fields) -> SEARCHABLE_FIELDS.forEach(name ->
                values.put(name + " of " + holderId, fields.get(name))));
        List<Path> dirs = new ArrayList<>(nodes.nodeDirs());
        for (int instance = 0; instance < processors.length; instance++) {
            dirs.add(stateDir(instance));
        }
        BytesAtRest disks = BytesAtRest.under(dirs);
        softly.assertThat(disks.filesHolding(BytesAtRest.inEveryForm(values)))
                .as("field values found, as is, in hex or in base64, with the files holding them").isEmpty();
        Map<String, String> holderIds = new LinkedHashMap<>();
        kyc.keySet().forEach(holderId -> holderIds.put(holderId, holderId));
        List<Path> holdingAHolderId = disks.filesHolding(holderIds).values().stream().flatMap(List::stream).toList();
        softly.assertThat(dirs.stream().filter(searched -> holdingAHolderId.stream().noneMatch(file ->
                file.startsWith(searched))).toList())
                .as("dirs of %s in which the same scan finds no holder's id, plaintext by design", dirs).isEmpty();
    }

    // ---- faults ----

    /** Kills the node that leads a holder's partition (one that is not the active controller, when there is one). */
    private void killPartitionLeader(String topic, Set<Integer> holderPartitions, Load load) throws Exception {
        Set<Integer> leaders = cluster.leadersOf(topic, holderPartitions);
        int controller = cluster.activeController();
        int victim = leaders.stream().filter(id -> id != controller).findFirst().orElse(leaders.iterator().next());
        Fault fault = inject(LEADER_KILL, "node " + victim);
        nodes.kill(victim);
        awaitEveryHolderDeliveredAfter(fault, load);
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

    private void killActiveController(Load load) throws Exception {
        int victim = cluster.activeController();
        Fault fault = inject(CONTROLLER_KILL, "node " + victim);
        nodes.kill(victim);
        awaitEveryHolderDeliveredAfter(fault, load);
        restartNode(victim);
    }

    /** Kills one instance: its tasks move to the other, which holds standbys of them, once its session expires. */
    private void killProcessorsInstance(int instance, Load load) throws Exception {
        Fault fault = inject(PROCESSORS_KILL, "instance " + instance);
        processors[instance].kill();
        awaitEveryHolderDeliveredAfter(fault, load);
        restartProcessors(instance);
    }

    /**
     * A rolling restart as an operator does it: each instance stopped (SIGTERM) and started again in turn, each a
     * fault of its own, over once the group is whole again, so that its recovery includes the tasks moving back.
     */
    private void restartProcessorsOneByOne(Load load) throws Exception {
        for (int instance = 0; instance < processors.length; instance++) {
            long stopped = System.currentTimeMillis();
            LOG.info("Fault injected kind=\"{}\" target=\"instance {}\"", ROLLING_RESTART, instance);
            processors[instance].stop();
            restartProcessors(instance);
            Fault fault = new Fault(ROLLING_RESTART, "instance " + instance, stopped, System.currentTimeMillis());
            faults.add(fault);
            awaitEveryHolderDeliveredAfter(fault, load);
        }
    }

    private Fault inject(String kind, String target) {
        long now = System.currentTimeMillis();
        Fault fault = new Fault(kind, target, now, now);
        faults.add(fault);
        LOG.info("Fault injected kind=\"{}\" target=\"{}\" fault={}", kind, target, faults.size());
        return fault;
    }

    /**
     * Waits until each holder has a verified delivery of a request sent once the fault was over; fails at once if
     * the load stopped because a send failed.
     */
    private void awaitEveryHolderDeliveredAfter(Fault fault, Load load) {
        Awaitility.await("every holder delivered to again after " + fault.kind() + " of " + fault.target())
                .atMost(RECOVERY).pollInterval(Duration.ofMillis(50)).until(() -> {
                    load.stream().throwIfFailed();
                    Set<String> delivered = load.timeline().answers().stream().filter(Answer::verifiedDelivery)
                            .map(answer -> sent.get(answer.requestId()))
                            .filter(request -> request != null && request.sentAtMillis() >= fault.settledAtMillis())
                            .map(SentRequest::holderId).collect(Collectors.toSet());
                    return delivered.size() == load.holders().size();
                });
        LOG.info("Every holder delivered to again kind=\"{}\" afterMs={}", fault.kind(),
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
        // Replication, standbys and the session are the processors' defaults: what this test proves is what ships.
        return ProcessorsJvm.properties(layout.bootstrapServers(), registryUrl, operator, APPLICATION_ID,
                PARTITIONS, stateDir(instance));
    }

    private Path stateDir(int instance) {
        return dir.resolve("state-" + instance);
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
