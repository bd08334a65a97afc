package io.idstream.it.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.it.StoryClients;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.platform.growth.GrowthReport;
import io.idstream.processors.GuardedProcessor;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running platform grows from 6 to 12 partitions in the middle of the story, while its clients keep working: an
 * issuer has issued credentials to twenty holders, a consumer has asked for their fields, some holders have granted
 * standing access with uses left and some have left requests parked, and during the growth the consumer keeps sending
 * requests, the issuer credentials and the holders approvals ({@link GrowthLoad}), so that some sends meet the fenced
 * generation and must follow the new one. After the growth the story goes on: parked requests approved and one
 * denied, granted requests delivered, a grant used up, a grant revoked, another credential issued, and new holders
 * registered through the gateway, issued to and delivered from. (The first twenty holders register over Kafka, as
 * the gateway would write their registrations: it takes ten a minute from one address.)
 *
 * <p>What the participants then see: every request the consumer sent is answered exactly once (one delivery or one
 * final notice, after at most one PENDING), those sent during the growth included, and every delivery verifies and
 * opens to the issued values; each holder's answers, audit entries and inbox entries come in the order her requests,
 * decisions and credentials were submitted, and the new generation's copy starts with her history as the old
 * generation held it; the holder-keyed topics of generation 1 have 12 partitions, {@code idstream.generation} names
 * generation 1, and the processors' group works all 12 partitions of each input; nothing went to the rejected topic
 * but the one refusal the story provokes (a revocation of a grant already used up); and the gateway's views, rebuilt
 * from the new topics, show the holders what they had.
 */
// 60 to 100 s on a busy two-core machine, of which the growth, restarting the processors and gateway, takes 20 to 30.
@Timeout(180)
class PartitionGrowthStoryIT {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionGrowthStoryIT.class);
    static final int PARTITIONS = 6;
    static final int GROWN = 12;
    static final int HOLDERS = 20;
    static final List<String> FIELDS = List.of("country", "full_name");
    /** The purpose of the standing grants: a request for it is delivered at once. */
    static final String PURPOSE = "onboarding";
    /** A purpose no standing grant covers: a request for it waits for the holder. */
    static final String PARKED_PURPOSE = "statement";
    static final Map<String, String> ADDRESS = Map.of("city", "Berlin", "street", "Main street 1");
    static final Duration VALID_FOR = Duration.ofDays(30);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ISSUER = "kyc-co";
    static final String CONSUMER = "exchange-a";
    static final String PROCESSORS = FlowClients.EMBEDDED_PROCESSORS;

    @TempDir
    Path dir;

    final GrowthLedger ledger = new GrowthLedger();
    // The newcomers are set up on a thread of their own while the story goes on.
    final Map<String, HolderClient> holders = new ConcurrentHashMap<>();
    final Map<String, String> kycByHolder = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> kycValues = new ConcurrentHashMap<>();
    final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();
    /** Each holder's latest standing grant. */
    final Map<String, String> standingGrants = new ConcurrentHashMap<>();
    Platform platform;
    /** The holder-keyed topics of generation 0, and of generation 1, which the growth makes. */
    TopicCatalog before;
    TopicCatalog after;
    IssuerClient issuer;
    ConsumerClient consumer;
    OperatorClient operator;

    @Test
    void growingFrom6To12PartitionsMidStoryAnswersEveryRequestOnceAndKeepsEachHoldersOrder() throws Exception {
        long started = System.currentTimeMillis();
        Map<String, Object> settings = new HashMap<>(StoryClients.gatewaySettings());
        settings.put(TopicCatalogConfig.PARTITIONS, PARTITIONS);
        // The gateway comes back on the port the holders' clients know.
        settings.put(PlatformConfig.GATEWAY_PORT, Ports.freePort());
        platform = StoryClients.startPlatform(dir.resolve("data"), settings);
        try (Admin admin = Admin.create(platform.clientProperties())) {
            Map<String, Object> clientConfigs = new HashMap<>();
            platform.clientProperties().forEach((key, value) -> clientConfigs.put((String) key, value));
            before = TopicCatalog.create(TopicGenerations.withGeneration(clientConfigs,
                    new TopicGeneration(0, PARTITIONS)));
            after = TopicCatalog.create(TopicGenerations.withGeneration(clientConfigs,
                    new TopicGeneration(1, GROWN)));

            Story story = startStory();
            LOG.info("Story set up afterMs={}", System.currentTimeMillis() - started);

            List<String> background = holderIds(0, 6);
            GrowthLoad load = new GrowthLoad(ledger, consumer, issuer, pick(background));
            GrowthReport report;
            long growthStarted;
            long growthEnded;
            List<String> unapproved;
            try (load) {
                load.start();
                Awaitility.await("the load runs: requests sent and parked requests approved").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(100)).until(() -> load.approvals() >= 1
                                && load.requestsSent() >= 12 || !load.failures().isEmpty());
                growthStarted = System.currentTimeMillis();
                report = platform.growPartitions(GROWN);
                growthEnded = System.currentTimeMillis();
                LOG.info("Grown afterMs={} tookMs={} {}", growthEnded - started, growthEnded - growthStarted,
                        report.summary());

                awaitViewsOfTheNewGeneration();
                continueStory(story);
                LOG.info("Story continued afterMs={}", System.currentTimeMillis() - started);
                unapproved = load.stopAndAwaitDecided(WAIT);
            }
            awaitProcessed(admin, after, PROCESSORS + "-g1");
            LOG.info("Load stopped and processed afterMs={} requests={}", System.currentTimeMillis() - started,
                    ledger.requests().size());

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(load.failures()).as("clients of the load that stopped").isEmpty();
            softly.assertThat(unapproved).as("parked requests of the load left unapproved")
                    .isEmpty();
            assertEveryRequestAnsweredOnce(softly, before, after, story, growthStarted, growthEnded);
            assertEachHoldersOrder(softly, before, after);
            assertGenerationOne(softly, admin, report, clientConfigs, after);
            softly.assertThat(rejections()).as("records on the rejected topic, with their reason and source")
                    .containsExactly("unknown-grant from " + after.accessDecisions().name());
            LOG.info("Checked afterMs={}", System.currentTimeMillis() - started);
            softly.assertAll();

        } finally {
            for (AutoCloseable client : clients) {
                client.close();
            }
            if (platform != null) {
                platform.close();
            }
        }
    }

    /**
     * The gateway's views, rebuilt from the new generation's topics rather than copied, still show a holder her
     * credential and her standing grant.
     */
    private void awaitViewsOfTheNewGeneration() {
        String holderId = holderId(15);
        HolderClient holder = holders.get(holderId);
        Awaitility.await(holderId + "'s credential and grant in the gateway's views of generation 1").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(holder.credentials()).containsKey(kycByHolder.get(holderId));
                    assertThat(holder.activeGrants()).containsKey(standingGrants.get(holderId));
                });
    }

    /** The grants and requests of the story's first half that its second half goes on from. */
    private record Story(String limitedGrant, String revokedGrant, List<String> parkedAcrossTheGrowth) {
    }

    /**
     * The parties, the holders with a kyc credential each, and the first half of the story: standing grants for
     * holders 0 to 7 and 14 to 17 (6 with 3 uses, 7 with 10, 14 to 17 with 5), two of 6's uses and one of 7's spent;
     * requests to holders 8 to 13 parked, those of 8 and 9 approved.
     */
    private Story startStory() throws Exception {
        Path keys = dir.resolve("keys");
        operator = new OperatorClient(platform.operatorKey(), platform.clientProperties());
        clients.add(operator);
        issuer = new IssuerClient(Identity.create(keys, ISSUER, "issuer"), platform.clientProperties());
        clients.add(issuer);
        consumer = new ConsumerClient(Identity.create(keys, CONSUMER, "consumer"), platform.clientProperties());
        clients.add(consumer);
        List<String> first = holderIds(0, HOLDERS);
        first.forEach(this::newHolder);
        ExecutorService parties = Executors.newFixedThreadPool(3);
        try {
            Future<?> registering = parties.submit(() -> registerOverKafka(first));
            Future<?> issuing = parties.submit(() -> {
                issuer.register("KYC Co");
                operator.accredit(ISSUER);
                StoryClients.awaitTopic(platform, platform.catalog().issuerNotices(ISSUER).name());
            });
            Future<?> consuming = parties.submit(() -> {
                consumer.register("Exchange A");
                operator.accredit(CONSUMER);
                StoryClients.awaitTopic(platform, platform.catalog().deliveries(CONSUMER).name());
            });
            issuing.get();
            consuming.get();
            registering.get();
        } finally {
            parties.shutdownNow();
        }
        setUpHolders(first, false);

        Map<String, String> grants = new LinkedHashMap<>();
        for (String holderId : holderIds(0, 6)) {
            grants.put(holderId, standingGrant(holderId, 0));
        }
        String limited = standingGrant(holderId(6), 3);
        String revoked = standingGrant(holderId(7), 10);
        grants.put(holderId(6), limited);
        grants.put(holderId(7), revoked);
        for (String holderId : holderIds(14, 18)) {
            grants.put(holderId, standingGrant(holderId, 5));
        }
        awaitActive(grants, before);
        List<String> delivered = List.of(request(holderId(6), PURPOSE, "DELIVERED"),
                request(holderId(6), PURPOSE, "DELIVERED"), request(holderId(7), PURPOSE, "DELIVERED"));
        List<String> parked = new ArrayList<>();
        for (String holderId : holderIds(8, 14)) {
            parked.add(request(holderId, PURPOSE, "PENDING"));
        }
        approve(holderId(8), parked.get(0));
        approve(holderId(9), parked.get(1));
        awaitDelivered("the requests to holders 6, 7, 8 and 9", List.of(delivered.get(1), delivered.get(2),
                parked.get(0), parked.get(1)));
        return new Story(limited, revoked, parked.subList(2, parked.size()));
    }

    /**
     * The second half, on the grown platform: the requests parked across the growth approved (10 to 12) or denied
     * (13); holders 14 to 17 delivered from their grants; holder 6's grant used up, her next request parked, and her
     * revocation of the spent grant refused; holder 7's grant revoked and her next request parked; holder 18 issued
     * another credential; holders 20 and 21 registered, issued to, granting and delivered from.
     */
    private void continueStory(Story story) throws Exception {
        List<String> newcomers = holderIds(HOLDERS, HOLDERS + 2);
        ExecutorService arriving = Executors.newSingleThreadExecutor();
        try {
            newcomers.forEach(this::newHolder);
            Future<?> newcomersSetUp = arriving.submit(() -> {
                setUpHolders(newcomers, true);
                return null;
            });
            for (int i = 0; i < 3; i++) {
                approve(holderId(10 + i), story.parkedAcrossTheGrowth().get(i));
            }
            String denied = story.parkedAcrossTheGrowth().get(3);
            holders.get(holderId(13)).awaitPending(denied, WAIT);
            holders.get(holderId(13)).deny(denied);
            ledger.decided(denied, "DENIED");
            for (String holderId : holderIds(14, 18)) {
                request(holderId, PURPOSE, "DELIVERED");
            }

            awaitDelivered("holder 6's third request, under her grant of 3 uses",
                    List.of(request(holderId(6), PURPOSE, "DELIVERED")));
            request(holderId(6), PURPOSE, "PENDING");
            holders.get(holderId(6)).revoke(story.limitedGrant());

            holders.get(holderId(7)).revoke(story.revokedGrant());
            Awaitility.await("the consumer hears that " + holderId(7) + " revoked her grant").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> HolderHistories.grantNotices(deliveries())
                            .contains("REVOKED " + story.revokedGrant()));
            request(holderId(7), PURPOSE, "PENDING");

            long issuing = System.currentTimeMillis();
            var another = issuer.issueAndAwait(holderId(18), "kyc", kyc(holderId(18)), 0L, WAIT);
            assertThat(another.stored()).as("a second kyc credential for " + holderId(18) + ": " + another.reason())
                    .isTrue();
            ledger.issued(holderId(18), another.credentialId(), issuing);

            newcomersSetUp.get();
        } finally {
            arriving.shutdownNow();
        }
        Map<String, String> grants = new LinkedHashMap<>();
        newcomers.forEach(holderId -> grants.put(holderId, standingGrant(holderId, 2)));
        awaitActive(grants, after);
        newcomers.forEach(holderId -> request(holderId, PURPOSE, "DELIVERED"));
    }

    // ---- the story's steps ----

    /** The holder's client, on keys of her own, and her kyc credential's values. */
    private void newHolder(String holderId) {
        HolderClient holder = StoryClients.holder(platform, Identity.create(dir.resolve("keys"), holderId, "holder"));
        clients.add(holder);
        holders.put(holderId, holder);
        kycValues.put(holderId, kyc(holderId));
    }

    /**
     * Registers the holders through the gateway, unless they are registered already, each allowing the issuer to
     * write kyc and address credentials, and issues each a kyc credential, all holders at once.
     */
    private void setUpHolders(List<String> holderIds, boolean registerThroughTheGateway) throws Exception {
        ExecutorService setUp = Executors.newFixedThreadPool(holderIds.size());
        try {
            Map<String, Future<String>> credentials = new LinkedHashMap<>();
            for (String holderId : holderIds) {
                HolderClient holder = holders.get(holderId);
                credentials.put(holderId, setUp.submit(() -> {
                    if (registerThroughTheGateway) {
                        holder.register(holderId);
                    }
                    StoryClients.allowToWrite(holder, issuer, List.of("address", "kyc"));
                    long issuing = System.currentTimeMillis();
                    var outcome = issuer.issueAndAwait(holderId, "kyc", kycValues.get(holderId), 0L, WAIT);
                    if (!outcome.stored()) {
                        throw new AssertionError("kyc credential for " + holderId + " refused: " + outcome.reason());
                    }
                    ledger.issued(holderId, outcome.credentialId(), issuing);
                    return outcome.credentialId();
                }));
            }
            for (Map.Entry<String, Future<String>> credential : credentials.entrySet()) {
                kycByHolder.put(credential.getKey(), credential.getValue().get());
            }
        } finally {
            setUp.shutdownNow();
        }
    }

    /**
     * Writes each holder's self-signed registration to the directory topic, as the gateway does for her, and waits
     * until the verified directory shows them all: the gateway takes 10 registrations a minute from one address, and
     * the story's first twenty holders are registered at once.
     */
    private void registerOverKafka(List<String> holderIds) {
        Topic<String, DirectoryEvent> directory = platform.catalog().directory();
        try (KafkaProducer<String, DirectoryEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all"), new StringSerializer(), directory.valueSerde().serializer())) {
            for (String holderId : holderIds) {
                Identity holder = holders.get(holderId).identity();
                Principal registration = PrincipalRecords.registration(holder.signing(), new PrincipalStatement(
                        holderId, holder.role(), holder.signing().publicKey(), holder.encryption().publicKey(),
                        holderId, System.currentTimeMillis()));
                producer.send(new ProducerRecord<>(directory.name(), holderId, new DirectoryEvent(registration)));
            }
            producer.flush();
        }
        Awaitility.await("the verified directory shows " + holderIds).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, VerifiedPrincipal> verified = new HashMap<>();
                    read(platform.catalog().directoryVerified()).forEach(r -> verified.put(r.key(), r.value()));
                    return holderIds.stream().allMatch(id -> verified.get(id) != null && Arrays.equals(
                            PrincipalRecords.signingKey(verified.get(id).getPrincipal()),
                            holders.get(id).identity().signing().publicKey()));
                });
    }

    /** A standing grant of the holder's kyc credential to the consumer; its id. */
    private String standingGrant(String holderId, int maxUses) {
        String grantId = holders.get(holderId).grant(CONSUMER, kycByHolder.get(holderId), PURPOSE,
                new HolderClient.Scope(FIELDS, VALID_FOR, maxUses));
        ledger.granted(holderId, grantId);
        standingGrants.put(holderId, grantId);
        return grantId;
    }

    /**
     * Waits until the processors have taken in each holder's grant, as the audit trail of {@code generation} records:
     * a request that overtook the grant on its way in would be parked rather than delivered.
     */
    private void awaitActive(Map<String, String> grantByHolder, TopicCatalog generation) {
        Awaitility.await("grants " + grantByHolder + " taken in").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> HolderHistories.auditedGrantOrder(read(generation.audit()).stream()
                        .map(ConsumerRecord::value).toList()).values().stream().flatMap(List::stream)
                        .collect(Collectors.toSet()).containsAll(grantByHolder.values()));
    }

    private String request(String holderId, String purpose, String... answers) {
        long started = System.currentTimeMillis();
        String requestId = consumer.request(holderId, "kyc", FIELDS, purpose);
        ledger.requested(holderId, requestId, started, answers);
        return requestId;
    }

    /** The holder approves the parked request, once her inbox shows it, for one use. */
    private void approve(String holderId, String requestId) {
        HolderClient holder = holders.get(holderId);
        holder.awaitPending(requestId, WAIT);
        String grantId = holder.approve(requestId, new HolderClient.Scope(null, VALID_FOR, 1));
        ledger.granted(holderId, grantId);
        ledger.decided(requestId, "DELIVERED");
    }

    /** Waits until the consumer's delivery topic holds a delivery for each of the requests. */
    private void awaitDelivered(String what, List<String> requestIds) {
        Awaitility.await(what + " " + requestIds + " delivered").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, List<String>> answers = HolderHistories.answersByRequest(deliveries());
                    return requestIds.stream().allMatch(id -> answers.getOrDefault(id, List.of())
                            .contains("DELIVERED"));
                });
    }

    // ---- the checks ----

    /**
     * Each request the consumer sent is answered as the story says, once: the consumer's delivery topic holds for it
     * exactly the answers expected, in order, and nothing for a request never sent; each delivery verifies and opens
     * to the holder's values. Every request is on the new generation's requests topic once (the copy, or the sends
     * that followed the fence); some sent during the growth began before the new generation was published and are
     * not on the old topic: they met the fence and followed.
     */
    private void assertEveryRequestAnsweredOnce(SoftAssertions softly, TopicCatalog before, TopicCatalog after,
                                                Story story, long growthStarted, long growthEnded) {
        List<DeliveryEvent> events = deliveries();
        Map<String, List<String>> answers = HolderHistories.answersByRequest(events);
        Map<String, List<String>> expected = ledger.expectedAnswers();
        softly.assertThat(AnsweredOnce.missing(expected.keySet(), answers.keySet()))
                .as("requests never answered, of %d sent", expected.size()).isEmpty();
        softly.assertThat(AnsweredOnce.missing(answers.keySet(), expected.keySet()))
                .as("answers to requests never sent").isEmpty();
        softly.assertThat(HolderHistories.differing(answers, expected).entrySet().stream()
                .filter(request -> answers.containsKey(request.getKey())).toList())
                .as("requests answered otherwise than expected").isEmpty();
        softly.assertThat(HolderHistories.grantNotices(events)).as("notices of grants that ended")
                .containsExactly("REVOKED " + story.revokedGrant());
        softly.assertThat(unverified(events)).as("deliveries that do not verify or open to the holder's values")
                .isEmpty();
        LOG.info("Deliveries verified count={}", events.size());

        Set<String> onOld = Set.copyOf(requestIds(before.accessRequests()));
        Map<String, Long> onNew = requestIds(after.accessRequests()).stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Map<String, Long> notOnceOnNew = new TreeMap<>();
        ledger.requests().forEach(sent -> {
            long copies = onNew.getOrDefault(sent.requestId(), 0L);
            if (copies != 1) {
                notOnceOnNew.put(sent.requestId(), copies);
            }
        });
        softly.assertThat(notOnceOnNew).as("requests not on generation 1's requests topic exactly once").isEmpty();
        long published = generationPublishedAt(before);
        List<String> sentDuringGrowth = ledger.requests().stream().filter(sent -> sent.startedAtMillis()
                >= growthStarted && sent.startedAtMillis() < growthEnded).map(GrowthLedger.SentRequest::requestId)
                .toList();
        List<String> followedTheFence = ledger.requests().stream().filter(sent -> sent.startedAtMillis() < published
                && !onOld.contains(sent.requestId())).map(GrowthLedger.SentRequest::requestId).toList();
        Set<String> credentialsOnOld = credentialIds(before.credentialsIssued());
        List<String> credentialsFollowed = ledger.credentials().stream().filter(sent -> sent.startedAtMillis()
                < published && !credentialsOnOld.contains(sent.credentialId()))
                .map(GrowthLedger.SentCredential::credentialId).toList();
        LOG.info("Growth window requestsSentDuringGrowth={} requestsThatFollowedTheFence={} "
                + "credentialsThatFollowedTheFence={}", sentDuringGrowth.size(), followedTheFence.size(),
                credentialsFollowed.size());
        softly.assertThat(sentDuringGrowth).as("requests sent while the platform grew").isNotEmpty();
        softly.assertThat(followedTheFence).as("requests sent before generation 1 was published that are not on "
                + "generation 0's topic: they met the fence and followed").isNotEmpty();
        softly.assertThat(credentialsFollowed).as("credentials sent before generation 1 was published that are "
                + "not on generation 0's topic").isNotEmpty();
    }

    /**
     * Each holder's events keep the order in which she and the consumer submitted them: the consumer's answers, her
     * audit entries (requests taken in; grants taken in) and her inbox (requests parked; credentials stored), read from
     * generation 1, which holds her history; and generation 1's audit and inbox start with her records of generation
     * 0, all of them, in the same order.
     */
    private void assertEachHoldersOrder(SoftAssertions softly, TopicCatalog before, TopicCatalog after) {
        Set<String> holderIds = new TreeSet<>(holders.keySet());
        Map<String, List<String>> requests = HolderHistories.of(ledger.requestsByHolder(), holderIds);
        List<ConsumerRecord<String, AccessAudit>> audit = read(after.audit());
        List<AccessAudit> auditValues = audit.stream().map(ConsumerRecord::value).toList();
        List<ConsumerRecord<String, InboxEvent>> inbox = read(after.holderInbox());

        softly.assertThat(HolderHistories.differing(HolderHistories.of(HolderHistories.firstAnswerOrder(deliveries()),
                holderIds), requests))
                .as("holders whose requests the consumer first heard of in another order than they were sent")
                .isEmpty();
        softly.assertThat(HolderHistories.differing(HolderHistories.of(HolderHistories.auditedRequestOrder(
                auditValues), holderIds), requests))
                .as("holders whose requests generation 1's audit trail first records in another order than sent")
                .isEmpty();
        softly.assertThat(HolderHistories.differing(HolderHistories.of(HolderHistories.auditedGrantOrder(
                auditValues), holderIds), HolderHistories.of(ledger.grantsByHolder(), holderIds)))
                .as("holders whose grants generation 1's audit trail records GRANTED in another order than sent")
                .isEmpty();
        softly.assertThat(HolderHistories.differing(HolderHistories.of(HolderHistories.inboxPendingOrder(inbox),
                holderIds), HolderHistories.of(ledger.parkedByHolder(), holderIds)))
                .as("holders whose parked requests generation 1's inbox shows in another order than sent")
                .isEmpty();
        softly.assertThat(HolderHistories.differing(HolderHistories.of(HolderHistories.inboxStoredOrder(inbox),
                holderIds), HolderHistories.of(ledger.credentialsByHolder(), holderIds)))
                .as("holders whose stored credentials generation 1's inbox tells of in another order than issued")
                .isEmpty();
        softly.assertThat(HolderHistories.notCopiedAsTheyWere(read(before.audit()), audit))
                .as("holders whose generation 0 audit trail does not open generation 1's").isEmpty();
        softly.assertThat(HolderHistories.notCopiedAsTheyWere(read(before.holderInbox()), inbox))
                .as("holders whose generation 0 inbox does not open generation 1's").isEmpty();
    }

    /**
     * Generation 1 is in use: the growth says so, {@code idstream.generation} names it, its holder-keyed topics have
     * 12 partitions, and the processors' group of generation 1 is assigned all 12 partitions of each input.
     */
    private void assertGenerationOne(SoftAssertions softly, Admin admin, GrowthReport report,
                                     Map<String, Object> clientConfigs, TopicCatalog after) throws Exception {
        TopicGeneration grown = new TopicGeneration(1, GROWN);
        softly.assertThat(report.after()).as("the generation the growth reports").isEqualTo(grown);
        softly.assertThat(TopicGenerations.current(clientConfigs, WAIT)).as("the generation idstream.generation "
                + "names").isEqualTo(grown);
        List<String> names = after.generationTopics().stream().map(Topic::name).toList();
        Map<String, Integer> partitions = new TreeMap<>();
        admin.describeTopics(names).allTopicNames().get().forEach((name, description) ->
                partitions.put(name, description.partitions().size()));
        Map<String, Integer> expected = new TreeMap<>();
        names.forEach(name -> expected.put(name, GROWN));
        softly.assertThat(partitions).as("partitions of generation 1's holder-keyed topics").isEqualTo(expected);

        List<String> inputs = List.of(after.directory().name(), after.credentialsIssued().name(),
                after.accessRequests().name(), after.accessDecisions().name());
        String group = PROCESSORS + "-g1";
        ConsumerGroupDescription description = Awaitility.await("the processors' group " + group + " stable")
                .atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group),
                        found -> found.groupState() == GroupState.STABLE);
        Map<String, Set<Integer>> assigned = new TreeMap<>();
        description.members().forEach(member -> member.assignment().topicPartitions().forEach(partition ->
                assigned.computeIfAbsent(partition.topic(), t -> new TreeSet<>()).add(partition.partition())));
        Map<String, Set<Integer>> everyPartition = new TreeMap<>();
        Set<Integer> all = IntStream.range(0, GROWN).boxed().collect(Collectors.toCollection(TreeSet::new));
        inputs.forEach(input -> everyPartition.put(input, all));
        softly.assertThat(assigned).as("the input partitions assigned to the processors' group " + group)
                .isEqualTo(everyPartition);
    }

    // ---- reads ----

    private List<DeliveryEvent> deliveries() {
        return read(platform.catalog().deliveries(CONSUMER)).stream().map(ConsumerRecord::value).toList();
    }

    private <K, V> List<ConsumerRecord<K, V>> read(Topic<K, V> topic) {
        return StoryClients.readToEnd(platform.bootstrapServers(), topic);
    }

    private List<String> requestIds(Topic<String, AccessRequest> topic) {
        return read(topic).stream().map(record -> record.value().getRequestId()).toList();
    }

    private Set<String> credentialIds(Topic<String, IssuanceEvent> topic) {
        return read(topic).stream().map(record -> record.value().getEvent()).filter(CredentialIssued.class::isInstance)
                .map(event -> ((CredentialIssued) event).getCredentialId()).collect(Collectors.toSet());
    }

    /** When generation 1 was written to {@code idstream.generation}. */
    private long generationPublishedAt(TopicCatalog catalog) {
        return read(catalog.generations()).stream().filter(record -> TopicGeneration.decode(record.value())
                .filter(generation -> generation.number() == 1).isPresent()).mapToLong(ConsumerRecord::timestamp)
                .min().orElseThrow(() -> new AssertionError("idstream.generation holds no generation 1"));
    }

    /** Each rejected record's reason and source topic, "reason from topic". */
    private List<String> rejections() {
        return read(platform.catalog().rejected()).stream().map(record -> header(record,
                GuardedProcessor.REASON_HEADER) + " from " + header(record, GuardedProcessor.SOURCE_TOPIC_HEADER))
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "(none)" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The deliveries the consumer's client does not accept, or that open to other values than the holder's. */
    private List<String> unverified(List<DeliveryEvent> events) {
        List<String> unverified = new ArrayList<>();
        for (DeliveryEvent event : events) {
            if (event.getEvent() instanceof CredentialDelivery delivery) {
                DeliveryOutcome outcome = consumer.verify(event);
                Map<String, String> disclosed = new HashMap<>();
                FIELDS.forEach(field -> disclosed.put(field, kycValues.get(delivery.getHolderId()).get(field)));
                if (!(outcome instanceof DeliveryOutcome.Delivered delivered)
                        || !delivered.values().equals(disclosed)) {
                    unverified.add(delivery.getRequestId() + ": " + outcome);
                }
            }
        }
        return unverified;
    }

    /** Waits until the group has committed, on every input of {@code catalog}, the latest offset. */
    private static void awaitProcessed(Admin admin, TopicCatalog catalog, String group) {
        List<String> inputs = List.of(catalog.directory().name(), catalog.credentialsIssued().name(),
                catalog.accessRequests().name(), catalog.accessDecisions().name());
        Awaitility.await("the processors " + group + " have processed every input record").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    admin.describeTopics(inputs).allTopicNames().get().values().forEach(topic -> topic.partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()),
                                    OffsetSpec.latest())));
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(end -> {
                        OffsetAndMetadata done = committed.get(end.getKey());
                        return end.getValue().offset() <= (done == null ? 0 : done.offset());
                    });
                });
    }

    // ---- the parties ----

    private Map<String, HolderClient> pick(List<String> holderIds) {
        Map<String, HolderClient> picked = new LinkedHashMap<>();
        holderIds.forEach(id -> picked.put(id, holders.get(id)));
        return picked;
    }

    private static Map<String, String> kyc(String holderId) {
        return Map.of("country", "DE", "document_number", "D-" + holderId, "full_name", "Name of " + holderId);
    }

    static String holderId(int number) {
        return String.format("holder-%02d", number);
    }

    private static List<String> holderIds(int from, int to) {
        return IntStream.range(from, to).mapToObj(PartitionGrowthStoryIT::holderId).toList();
    }
}
