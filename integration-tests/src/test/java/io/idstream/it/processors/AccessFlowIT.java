package io.idstream.it.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.Party;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole flow on the embedded platform (a real broker, registry and the processors under exactly-once): two
 * holders, two consumers, requests answered by approvals and by standing grants; and a restart in the middle of a
 * stream of requests that loses nothing, duplicates nothing and counts uses exactly.
 */
@Timeout(240)
class AccessFlowIT {
    static final Map<String, String> KYC = Map.of("full_name", "Alice Example", "country", "DE",
            "age_over_18", "true", "kyc_level", "2", "sanctions_clear", "true");
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void twoHoldersTwoConsumers() throws Exception {
        try (Platform platform = TestPlatforms.startWithProcessors(dataDir);
             FlowClients clients = new FlowClients(platform)) {
            Party issuer = clients.register("kyc-co", "issuer");
            clients.accredit(issuer);
            Party alice = clients.register("alice", "holder");
            Party bob = clients.register("bob", "holder");
            Party exchange = clients.register("exchange-a", "consumer");
            Party app = clients.register("app-b", "consumer");
            awaitPrincipals(platform, List.of("alice", "bob", "exchange-a", "app-b"), "kyc-co");
            Credentials.IssuedCredential aliceKyc = clients.issue(issuer, alice, KYC);
            Credentials.IssuedCredential bobKyc = clients.issue(issuer, bob, Map.of("country", "FR",
                    "age_over_18", "true", "kyc_level", "1"));
            awaitCredential(platform, "alice", aliceKyc);
            awaitCredential(platform, "bob", bobKyc);

            AccessRequest first = clients.request(exchange, alice, List.of("country", "age_over_18"));
            assertThat(notices(clients.awaitDeliveries(exchange, e -> !e.isEmpty(), WAIT)))
                    .extracting(ConsumerNotice::getKind).containsExactly(NoticeKind.PENDING);
            clients.grant(alice, exchange, aliceKyc, first.getRequestId(), List.of("age_over_18", "country"), 5);
            List<DeliveryEvent> exchangeEvents = clients.awaitDeliveries(exchange,
                    e -> credentialDeliveries(e).size() == 1, WAIT);
            assertThat(values(credentialDeliveries(exchangeEvents).get(0), exchange, issuer, alice))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("country", "DE", "age_over_18", "true"));

            AccessRequest bobs = clients.request(app, bob, List.of("kyc_level"));
            clients.grant(bob, app, bobKyc, bobs.getRequestId(), List.of("kyc_level"), 1);
            List<CredentialDelivery> appDeliveries = credentialDeliveries(clients.awaitDeliveries(app,
                    e -> credentialDeliveries(e).size() == 1, WAIT));
            assertThat(values(appDeliveries.get(0), app, issuer, bob)).containsExactly(Map.entry("kyc_level", "1"));

            clients.request(exchange, alice, List.of("country"));
            List<CredentialDelivery> again = credentialDeliveries(clients.awaitDeliveries(exchange,
                    e -> credentialDeliveries(e).size() == 2, WAIT));
            assertThat(again).hasSize(2);
            assertThat(values(again.get(1), exchange, issuer, alice)).containsExactly(Map.entry("country", "DE"));
        }
    }

    @Test
    void restartInTheMiddleLosesAndDuplicatesNothing() throws Exception {
        int maxUses = 20;
        int requests = 30;
        Party issuer;
        Party alice;
        Party exchange;
        Set<String> sent = new HashSet<>();
        try (Platform platform = TestPlatforms.startWithProcessors(dataDir);
             FlowClients clients = new FlowClients(platform)) {
            issuer = clients.register("kyc-co", "issuer");
            clients.accredit(issuer);
            alice = clients.register("alice", "holder");
            exchange = clients.register("exchange-a", "consumer");
            awaitPrincipals(platform, List.of("alice", "exchange-a"), "kyc-co");
            Credentials.IssuedCredential credential = clients.issue(issuer, alice, KYC);
            awaitCredential(platform, "alice", credential);
            clients.grant(alice, exchange, credential, "", List.of("country"), maxUses);
            for (int i = 0; i < requests / 2; i++) {
                sent.add(clients.request(exchange, alice, List.of("country")).getRequestId());
            }
        }
        try (Platform platform = TestPlatforms.startWithProcessors(dataDir);
             FlowClients clients = new FlowClients(platform)) {
            for (int i = 0; i < requests / 2; i++) {
                sent.add(clients.request(exchange, alice, List.of("country")).getRequestId());
            }
            clients.awaitProcessed(FlowClients.EMBEDDED_PROCESSORS, WAIT);
            List<DeliveryEvent> events = clients.deliveries(exchange.id);

            List<CredentialDelivery> delivered = credentialDeliveries(events);
            List<ConsumerNotice> pending = notices(events).stream()
                    .filter(n -> n.getKind() == NoticeKind.PENDING).toList();
            assertThat(delivered).as("deliveries: exactly the grant's uses").hasSize(maxUses);
            assertThat(pending).as("requests beyond the uses wait").hasSize(requests - maxUses);
            assertThat(answered(events)).as("each request answered exactly once").hasSize(requests)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            for (CredentialDelivery delivery : delivered) {
                assertThat(verifyAsConsumer(delivery, exchange, issuer, alice).verified()).isTrue();
            }
        }
    }

    private static List<String> answered(List<DeliveryEvent> events) {
        List<String> ids = new java.util.ArrayList<>();
        credentialDeliveries(events).forEach(d -> ids.add(d.getRequestId()));
        notices(events).stream().filter(n -> n.getKind() == NoticeKind.PENDING).forEach(n -> ids.add(n.getRequestId()));
        return ids;
    }

    /**
     * Registration, accreditation and issuance are processed asynchronously, in other partitions than the records
     * that depend on them; as a client must, the test waits until the processors' own stores (read through
     * interactive queries) hold the principals, accredited where asked, before it goes on.
     */
    private static void awaitPrincipals(Platform platform, List<String> ids, String accredited) {
        // Holders are in the directory state of the tasks that own them, issuers and consumers in the global store.
        await(platform, StoreNames.DIRECTORY_STATE, store -> ids.stream().allMatch(id -> store.get(id) != null),
                "principals " + ids);
        await(platform, StoreNames.DIRECTORY_GLOBAL, store -> ((VerifiedPrincipal) store.get(accredited)) != null
                && ((VerifiedPrincipal) store.get(accredited)).getAccreditation() != null, "accredited " + accredited);
    }

    private static void awaitCredential(Platform platform, String holderId, Credentials.IssuedCredential credential) {
        String key = HolderKeys.of(holderId, credential.header().credentialId());
        await(platform, StoreNames.CREDENTIALS, store -> store.get(key) != null, "credential " + key);
    }

    private static void await(Platform platform, String storeName,
                              Predicate<ReadOnlyKeyValueStore<String, Object>> done, String what) {
        KafkaStreams streams = platform.processors().streams();
        // A store still rebalancing or restoring answers InvalidStateStoreException: ask again.
        Awaitility.await("the processors take in " + what).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .ignoreException(InvalidStateStoreException.class)
                .until(() -> done.test(streams.store(StoreQueryParameters.fromNameAndType(storeName,
                        QueryableStoreTypes.keyValueStore()))));
    }

    private static Map<String, String> values(CredentialDelivery delivery, Party consumer, Party issuer, Party holder) {
        DeliveryVerification result = verifyAsConsumer(delivery, consumer, issuer, holder);
        assertThat(result).isInstanceOf(DeliveryVerification.Verified.class);
        return ((DeliveryVerification.Verified) result).values();
    }
}
