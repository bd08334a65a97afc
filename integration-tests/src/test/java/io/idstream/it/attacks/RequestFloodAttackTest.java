package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StoreNames;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rocksdb.Options;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Flooding the processors as any registered consumer may: requests of up to the broker's megabyte, as many as it
 * likes to one holder, each parked in the holder's state; the holder's next grant then read every one of them into
 * the heap, and the expiry punctuation read every parked request and used id on the stream thread every ten
 * seconds. A request over {@code idstream.limits.max.request.bytes} is refused as {@code oversize}; a consumer may
 * have at most {@code idstream.limits.max.pending.per.consumer} requests waiting for one holder, and the next is
 * refused as {@code too-many-pending}; the punctuation reads only what is due, and ends a bounded number per run.
 */
@Timeout(120)
class RequestFloodAttackTest {
    static final int LONG_LIVED_ITEMS = 10_000;
    static final int REQUESTED_ITEMS = 200;

    TopologyHarness harness;

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
        CountingRocksDb.closeAll();
    }

    @Test
    void aRequestOverTheSizeLimitIsRefusedOversizeAndNotParked() throws Exception {
        harness = new TopologyHarness();
        Party alice = harness.register("alice", "holder");
        Party exchange = registerConsumer("exchange-a");

        harness.requests.pipeInput(alice.id, request(exchange, alice, "x".repeat(16 * 1024)));

        assertThat(harness.rejections()).as("refusals of a request with a 16 KiB purpose")
                .extracting(RejectedRecord::reason).containsExactly("oversize");
        assertThat(harness.inbox.readValuesToList()).as("alice's inbox").isEmpty();
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's answers").isEmpty();

        harness.requests.pipeInput(alice.id, request(exchange, alice, "onboarding"));
        assertThat(notices(harness.deliveriesOf(exchange))).as("an ordinary request's answer")
                .extracting(ConsumerNotice::getKind).containsExactly(NoticeKind.PENDING);
        assertThat(harness.rejections()).as("refusals of the ordinary request").isEmpty();
    }

    @Test
    void theRequestOneOverThePendingLimitOfAConsumerForAHolderIsRefused() throws Exception {
        harness = new TopologyHarness();
        int limit = harness.config.maxPendingPerConsumer();
        Party alice = harness.register("alice", "holder");
        Party bob = harness.register("bob", "holder");
        Party exchange = registerConsumer("exchange-a");
        Party app = registerConsumer("app-b");

        List<AccessRequest> parked = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            parked.add(harness.request(exchange, alice, "kyc", List.of("country")));
        }
        harness.request(exchange, alice, "kyc", List.of("country"));

        assertThat(harness.rejections()).as("refusals after %d requests and one more", limit)
                .extracting(RejectedRecord::reason).containsExactly("too-many-pending");
        assertThat(notices(harness.deliveriesOf(exchange))).as("exchange-a's pending notices")
                .extracting(ConsumerNotice::getRequestId)
                .containsExactlyElementsOf(parked.stream().map(AccessRequest::getRequestId).toList());

        // The limit is per consumer and holder: others still wait, and a decision makes room again.
        harness.request(app, alice, "kyc", List.of("country"));
        AccessRequest toBob = harness.request(exchange, bob, "kyc", List.of("country"));
        assertThat(notices(harness.deliveriesOf(exchange))).as("exchange-a's answer from bob")
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getRequestId)
                .containsExactly(tuple(NoticeKind.PENDING, toBob.getRequestId()));
        harness.deny(alice, parked.get(0).getRequestId());
        AccessRequest afterDenial = harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(harness.rejections()).as("refusals of app-b's, bob's and the one after a denial").isEmpty();
        assertThat(notices(harness.deliveriesOf(exchange))).as("exchange-a's answers after the denial")
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getRequestId)
                .containsExactly(tuple(NoticeKind.DENIED, parked.get(0).getRequestId()),
                        tuple(NoticeKind.PENDING, afterDenial.getRequestId()));
    }

    /**
     * A flood leaves a parked request and a used id per request, due in a week. Ten thousand of each are stored
     * directly, as the driver takes minutes to process that many requests here; a few hundred more come as requests.
     */
    @Test
    void theExpiryPunctuationDoesNotReadTenThousandLongLivedRequestsAndIds() throws Exception {
        harness = new TopologyHarness(Map.of(
                ProcessorsConfig.MAX_PENDING_PER_CONSUMER, LONG_LIVED_ITEMS,
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CountingRocksDb.class.getName()));
        Party alice = harness.register("alice", "holder");
        Party exchange = registerConsumer("exchange-a");
        for (int i = 0; i < REQUESTED_ITEMS; i++) {
            harness.requests.pipeInput(alice.id, request(exchange, alice, "onboarding"));
        }
        KeyValueStore<String, PendingRequest> pending = harness.driver.getKeyValueStore(StoreNames.PENDING_REQUESTS);
        KeyValueStore<String, Long> usedIds = harness.driver.getKeyValueStore(StoreNames.SEEN_IDS);
        PendingRequest parked;
        try (KeyValueIterator<String, PendingRequest> all = pending.all()) {
            parked = all.next().value;
        }
        for (int i = 0; i < LONG_LIVED_ITEMS; i++) {
            AccessRequest copy = request(exchange, alice, "onboarding");
            pending.put(HolderKeys.of(alice.id, copy.getRequestId()),
                    PendingRequest.newBuilder(parked).setRequest(copy).build());
            usedIds.put(HolderKeys.of(alice.id, "request:" + copy.getRequestId()), harness.now());
        }
        assertThat(notices(harness.deliveriesOf(exchange))).as("requests parked for a week").hasSize(REQUESTED_ITEMS);

        long readBefore = CountingRocksDb.entriesRead();
        harness.advance(harness.config.punctuateInterval());
        long read = CountingRocksDb.entriesRead() - readBefore;

        assertThat(read).as("state entries one expiry punctuation read, with %d parked requests and as many used "
                + "ids due in a week", LONG_LIVED_ITEMS + REQUESTED_ITEMS).isLessThan(REQUESTED_ITEMS / 2);
        assertThat(harness.deliveriesOf(exchange)).as("what the punctuation told exchange-a").isEmpty();
    }

    @Test
    void aBurstOfExpiriesEndsAtMostTheConfiguredNumberPerPunctuation() throws Exception {
        Duration ttl = Duration.ofMinutes(1);
        harness = new TopologyHarness(Map.of(ProcessorsConfig.PENDING_TTL_MS, ttl.toMillis(),
                ProcessorsConfig.PUNCTUATE_MAX_EXPIRIES, 5));
        Party alice = harness.register("alice", "holder");
        Party exchange = registerConsumer("exchange-a");
        for (int i = 0; i < 8; i++) {
            harness.request(exchange, alice, "kyc", List.of("country"));
        }
        harness.deliveriesOf(exchange);

        harness.advance(ttl);
        assertThat(expiredNotices(exchange)).as("requests expired by the first punctuation due").isEqualTo(5);
        harness.advance(harness.config.punctuateInterval());
        assertThat(expiredNotices(exchange)).as("requests expired by the next").isEqualTo(3);
    }

    private Party registerConsumer(String id) {
        Party consumer = harness.register(id, "consumer");
        harness.deliveryTopics.add(consumer.id);
        return consumer;
    }

    private long expiredNotices(Party consumer) {
        return notices(harness.deliveriesOf(consumer)).stream().filter(n -> n.getKind() == NoticeKind.EXPIRED)
                .count();
    }

    private AccessRequest request(Party consumer, Party holder, String purpose) {
        return RequestRecords.signed(consumer.signing, new RequestStatement(UUID.randomUUID().toString(), consumer.id,
                holder.id, "kyc", "", purpose, harness.now(), List.of("country")));
    }

    /**
     * Counts, per RocksDB store of the topology, the entries read: every step of an iterator and every key looked
     * up. Kafka Streams makes one per store from the {@code rocksdb.config.setter} setting.
     */
    public static final class CountingRocksDb implements RocksDBConfigSetter {
        private static final Map<String, Statistics> STATISTICS = new ConcurrentHashMap<>();

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            Statistics statistics = new Statistics();
            STATISTICS.put(storeName, statistics);
            options.setStatistics(statistics);
        }

        @Override
        public void close(String storeName, Options options) {
            // Read after the stores close; closeAll frees them.
        }

        static long entriesRead() {
            return STATISTICS.values().stream().mapToLong(s -> s.getTickerCount(TickerType.NUMBER_DB_NEXT)
                    + s.getTickerCount(TickerType.NUMBER_DB_PREV) + s.getTickerCount(TickerType.NUMBER_KEYS_READ))
                    .sum();
        }

        static void closeAll() {
            STATISTICS.values().forEach(Statistics::close);
            STATISTICS.clear();
        }
    }
}
