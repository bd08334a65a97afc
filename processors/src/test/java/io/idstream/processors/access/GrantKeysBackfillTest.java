package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.processors.Party;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StoreNames;
import io.idstream.processors.TopologyHarness;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.serde.SpecificAvroSerde;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grants accepted before the processors kept the keys a grant was given under (docs/protocol.md section 11): when the
 * access processor's task starts, each such grant is given the consumer's encryption key bound now and, if the
 * holder's signing key bound now verifies its signature, that key; so a later rotation of either ends it. The task
 * here was upgraded from a version that had the expiry index already, as a running deployment was.
 */
class GrantKeysBackfillTest {
    static final long NOW = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;

    final String registryUrl = "mock://" + UUID.randomUUID();
    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    final Party alice = new Party("alice", "holder");
    final Party aliceBefore = new Party("alice", "holder");
    final Party exchange = new Party("exchange-a", "consumer");
    final Party issuer = new Party("kyc-co", "issuer");
    KeyValueStore<String, GrantState> grants;
    KeyValueStore<String, VerifiedPrincipal> directory;
    KeyValueStore<String, VerifiedPrincipal> ownHolders;
    Path stateDir;

    @BeforeEach
    void openStores() throws Exception {
        stateDir = Files.createTempDirectory("idstream-backfill");
        grants = store(StoreNames.GRANTS, Serdes.String(), avro(GrantState.class));
        directory = store(StoreNames.DIRECTORY, Serdes.String(), avro(VerifiedPrincipal.class));
        ownHolders = store(StoreNames.DIRECTORY_STATE, Serdes.String(), avro(VerifiedPrincipal.class));
        store(StoreNames.PENDING_REQUESTS, Serdes.String(), avro(PendingRequest.class));
        store(StoreNames.SEEN_IDS, Serdes.String(), Serdes.Long());
        store(StoreNames.PENDING_BY_CONSUMER, Serdes.String(), Serdes.Long());
        KeyValueStore<Bytes, byte[]> expiries = store(StoreNames.EXPIRY_INDEX,
                Serdes.Bytes(), Serdes.ByteArray());
        store(StoreNames.CREDENTIALS, Serdes.String(), avro(StoredCredential.class));
        store(StoreNames.ENDED_CREDENTIALS, Serdes.String(), Serdes.Long());
        store(StoreNames.WRITE_GRANTS, Serdes.String(), avro(WriteGrant.class));
        ownHolders.put(alice.id, entry(alice));
        directory.put(exchange.id, entry(exchange));
        // the expiry index a deployment upgraded from the version before kept keys has already
        new ExpiryIndex(context).add(ExpiryIndex.Kind.USED_ID, NOW, HolderKeys.of(alice.id, "request:earlier"));
        assertThat(expiries.approximateNumEntries()).isEqualTo(1);
    }

    @AfterEach
    void dropRegistry() throws Exception {
        LocalSchemaRegistry.drop(registryUrl);
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aTaskStartGivesEarlierGrantsTheKeysBoundNowWhereTheHoldersKeyVerifiesThem() {
        String signedNow = keptWithoutKeys(alice);
        String signedBefore = keptWithoutKeys(aliceBefore);

        startTask();

        assertThat(grants.get(signedNow)).as("the grant alice's bound key signed").satisfies(state -> {
            assertThat(state.getHolderSigningKey()).isEqualTo(ByteBuffer.wrap(alice.signing.publicKey()));
            assertThat(state.getConsumerEncryptionKey()).isEqualTo(ByteBuffer.wrap(exchange.encryption.publicKey()));
        });
        assertThat(grants.get(signedBefore).getHolderSigningKey()).as("the grant a key no longer bound signed")
                .isEqualTo(ByteBuffer.allocate(0));
    }

    private String keptWithoutKeys(Party signer) {
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), alice.id, issuer.id, "kyc", NOW,
                0L);
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                signer.encryption.publicKey(), Map.of("country", "DE"));
        Grant grant = TopologyHarness.signedGrant(signer, exchange, credential, "", List.of("country"), NOW,
                NOW + 30 * DAY, 0);
        String key = HolderKeys.of(alice.id, grant.getGrantId());
        grants.put(key, new GrantState(grant, 0, NOW, ByteBuffer.allocate(0), ByteBuffer.allocate(0)));
        new ExpiryIndex(context).add(ExpiryIndex.Kind.GRANT, grant.getExpiresAt(), key);
        return key;
    }

    private void startTask() {
        ProcessorsConfig config = new ProcessorsConfig(Map.of(
                ProcessorsConfig.BOOTSTRAP_SERVERS, "unused:9092",
                "schema.registry.url", registryUrl,
                ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(issuer.signing.publicKey()),
                ProcessorsConfig.STATE_DIR, stateDir.toString(),
                ProcessorsConfig.APPLICATION_ID, "backfill-" + UUID.randomUUID(),
                TopicCatalogConfig.PARTITIONS, 1));
        PrincipalTopics none = new PrincipalTopics() {
            @Override
            public void ensure(String principalId) {
            }

            @Override
            public boolean exists(String principalId) {
                return false;
            }
        };
        new AccessProcessor(avro(AccessRequest.class).deserializer(), avro(DecisionEvent.class).deserializer(),
                "requests", config, none, none).init(context);
    }

    private static VerifiedPrincipal entry(Party party) {
        return new VerifiedPrincipal(party.registration(NOW), null, NOW, null, 0L, List.of());
    }

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private <T extends SpecificRecord> SpecificAvroSerde<T> avro(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        return serde;
    }
}
