package io.idstream.processors.directory;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.processors.Party;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.Sinks;
import io.idstream.processors.StoreNames;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.serde.SpecificAvroSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The upgrade to the global directory (docs/protocol.md section 10): a task of a deployment verified before the global
 * directory existed holds its issuers' and consumers' entries in its own directory state only. Shortly after it
 * starts, it sends them, and not its holders', to the global directory, once: a task started again on the same state,
 * as after a restart or a restore from the changelogs, sends nothing.
 */
class GlobalDirectoryRepublishTest {
    static final long NOW = 1_800_000_000_000L;

    final String registryUrl = "mock://" + UUID.randomUUID();
    final SigningKeyPair operator = SigningKeyPair.generate();
    final Party issuer = new Party("kyc-co", "issuer");
    final Party consumer = new Party("exchange-a", "consumer");
    final Party holder = new Party("alice", "holder");
    KeyValueStore<String, VerifiedPrincipal> state;
    KeyValueStore<Bytes, byte[]> bookkeeping;

    @BeforeEach
    void keepTheEntriesVerifiedBeforeTheUpgrade() {
        MockProcessorContext<Object, Object> earlier = new MockProcessorContext<>();
        state = store(earlier, StoreNames.DIRECTORY_STATE, Serdes.String(), avro());
        bookkeeping = store(earlier, StoreNames.EXPIRY_INDEX, Serdes.Bytes(), Serdes.ByteArray());
        state.put(issuer.id, new VerifiedPrincipal(issuer.registration(NOW), issuer.accreditationBy(operator, NOW),
                NOW, null, NOW, List.of()));
        state.put(consumer.id, entry(consumer));
        state.put(holder.id, entry(holder));
    }

    @AfterEach
    void dropRegistry() {
        LocalSchemaRegistry.drop(registryUrl);
    }

    @Test
    void aTaskSendsItsIssuersAndConsumersToTheGlobalDirectoryOnceAfterItStarts() {
        MockProcessorContext<Object, Object> first = startTask();
        List<CapturedPunctuator> scheduled = first.scheduledPunctuators();
        assertThat(scheduled).as("what the task schedules as it starts").hasSize(1);
        assertThat(first.forwarded()).as("sent while the task starts").isEmpty();

        scheduled.get(0).getPunctuator().punctuate(NOW);

        assertThat(first.forwarded()).as("sent to the global directory").allSatisfy(forward ->
                assertThat(forward.childName()).contains(Sinks.DIRECTORY_GLOBAL))
                .extracting(forward -> forward.record().key(), forward -> forward.record().value())
                .containsExactlyInAnyOrder(
                        tuple(issuer.id, state.get(issuer.id)), tuple(consumer.id, state.get(consumer.id)));

        MockProcessorContext<Object, Object> again = startTask();
        assertThat(again.scheduledPunctuators()).as("what the task started again schedules").isEmpty();
    }

    /** A directory processor's task started on the stores kept so far. */
    private MockProcessorContext<Object, Object> startTask() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.addStateStore(state);
        context.addStateStore(bookkeeping);
        PrincipalTopics none = new PrincipalTopics() {
            @Override
            public void ensure(String principalId) {
            }

            @Override
            public boolean exists(String principalId) {
                return false;
            }
        };
        new DirectoryProcessor((topic, bytes) -> null, List.of(operator.publicKey()), none, none, 1).init(context);
        return context;
    }

    private static VerifiedPrincipal entry(Party party) {
        return new VerifiedPrincipal(party.registration(NOW), null, NOW, null, 0L, List.of());
    }

    private static <K, V> KeyValueStore<K, V> store(MockProcessorContext<Object, Object> context, String name,
                                                    Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private SpecificAvroSerde<VerifiedPrincipal> avro() {
        SpecificAvroSerde<VerifiedPrincipal> serde = new SpecificAvroSerde<>(VerifiedPrincipal.class);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        return serde;
    }
}
