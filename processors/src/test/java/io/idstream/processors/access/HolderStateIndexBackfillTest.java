package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.PendingRequest;
import io.idstream.processors.StoreNames;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.serde.SpecificAvroSerde;
import io.idstream.topics.HolderKeys;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State stored before the expiry and by-consumer indexes existed: a task that opens with an empty expiry index
 * indexes it, so that its grants and parked requests still expire, its used ids are still forgotten, and a new grant
 * still finds the requests parked before.
 */
class HolderStateIndexBackfillTest {
    static final long NOW = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;

    final String registryUrl = "mock://" + UUID.randomUUID();
    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<String, GrantState> grants;
    KeyValueStore<String, PendingRequest> pending;
    KeyValueStore<String, Long> usedIds;

    @BeforeEach
    void openStores() {
        grants = store(StoreNames.GRANTS, Serdes.String(), avro(GrantState.class));
        pending = store(StoreNames.PENDING_REQUESTS, Serdes.String(), avro(PendingRequest.class));
        usedIds = store(StoreNames.SEEN_IDS, Serdes.String(), Serdes.Long());
        store(StoreNames.PENDING_BY_CONSUMER, Serdes.String(), Serdes.Long());
        store(StoreNames.EXPIRY_INDEX, Serdes.Bytes(), Serdes.ByteArray());
        store(StoreNames.CREDENTIALS, Serdes.String(), Serdes.ByteArray());
        store(StoreNames.ENDED_CREDENTIALS, Serdes.String(), Serdes.Long());
    }

    @AfterEach
    void dropRegistry() {
        LocalSchemaRegistry.drop(registryUrl);
    }

    @Test
    void whatWasStoredBeforeTheIndexesStillEndsAndIsFound() {
        Grant grant = grant("alice", "exchange-a", NOW + DAY);
        grants.put(HolderKeys.of("alice", grant.getGrantId()), new GrantState(grant, 0, NOW, ByteBuffer.allocate(0),
                ByteBuffer.allocate(0)));
        PendingRequest parked = parked("alice", "exchange-a", NOW + 2 * DAY);
        String pendingKey = HolderKeys.of("alice", parked.getRequest().getRequestId());
        pending.put(pendingKey, parked);
        usedIds.put(HolderKeys.of("alice", "request:" + parked.getRequest().getRequestId()), NOW);

        HolderState state = new HolderState(context);
        state.indexEarlierState();

        assertThat(state.parkedFor("alice", "exchange-a")).as("exchange-a's requests parked for alice")
                .extracting(entry -> entry.key).containsExactly(pendingKey);
        assertThat(state.removeGrantsExpiredAt(NOW + DAY, 10)).as("grants expired a day on")
                .extracting(Grant::getGrantId).containsExactly(grant.getGrantId());
        assertThat(state.unparkExpiredAt(NOW + 2 * DAY, 10)).as("requests expired two days on")
                .extracting(p -> p.getRequest().getRequestId()).containsExactly(parked.getRequest().getRequestId());
        state.forgetUsedBefore(NOW + 1, 10);
        assertThat(usedIds.approximateNumEntries()).as("used ids after the replay window").isZero();
    }

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        return serde;
    }

    private static Grant grant(String holderId, String consumerId, long expiresAt) {
        return Grant.newBuilder().setGrantId(UUID.randomUUID().toString()).setHolderId(holderId)
                .setConsumerId(consumerId).setCredentialId(UUID.randomUUID().toString()).setRequestId("")
                .setPurpose("onboarding").setNotBefore(NOW).setExpiresAt(expiresAt).setMaxUses(0)
                .setFields(List.of("country")).setKeysEnc(ByteBuffer.allocate(32))
                .setKeysCiphertext(ByteBuffer.allocate(48)).setSignature(ByteBuffer.allocate(64)).build();
    }

    private static PendingRequest parked(String holderId, String consumerId, long expiresAt) {
        AccessRequest request = AccessRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setConsumerId(consumerId).setHolderId(holderId).setCredentialType("kyc").setCredentialId("")
                .setPurpose("onboarding").setCreatedAt(NOW).setFields(List.of("country"))
                .setSignature(ByteBuffer.allocate(64)).build();
        return PendingRequest.newBuilder().setRequest(request).setConsumerDisplayName(consumerId)
                .setConsumerAccredited(false).setCredentialId("").setCredentialType("kyc").setIssuerId("")
                .setReceivedAt(NOW).setExpiresAt(expiresAt).build();
    }
}
