package io.idstream.processors.access;

import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.mapping.GrantRecords;
import io.idstream.processors.StoreNames;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives the grants accepted before the processors kept the keys a grant was given under (empty bytes) the keys bound
 * now, once per task, when it starts (docs/protocol.md section 11), so that a later change of either key ends them
 * as it ends any grant. The holder's signing key is kept only if it verifies the grant's signature: a grant it does
 * not verify keeps empty bytes, and {@link GrantEndings#keysChanged} ends it at its next use or at the holder's next
 * accepted re-key. The consumer's encryption key cannot be checked against the grant, and is taken as bound now.
 * The directory is complete when a task starts: Kafka Streams loads global stores, and restores the task's own
 * holders' entries, before it initialises the task's processors.
 */
final class EarlierGrantKeys {
    static final String WORK = "grant-keys-kept";

    private static final Logger LOG = LoggerFactory.getLogger(EarlierGrantKeys.class);

    private EarlierGrantKeys() {
    }

    static void keep(ProcessorContext<?, ?> context, DirectoryView directory) {
        ExpiryIndex index = new ExpiryIndex(context);
        if (index.isDone(WORK)) {
            return;
        }
        KeyValueStore<String, GrantState> grants = context.getStateStore(StoreNames.GRANTS);
        List<KeyValue<String, GrantState>> kept = new ArrayList<>();
        try (KeyValueIterator<String, GrantState> all = grants.all()) {
            all.forEachRemaining(entry -> withKeysBoundNow(entry.value, directory)
                    .ifPresent(state -> kept.add(KeyValue.pair(entry.key, state))));
        }
        kept.forEach(entry -> grants.put(entry.key, entry.value));
        index.markDone(WORK);
        LOG.info("Grants accepted before their keys were kept given the keys bound now grants={}", kept.size());
    }

    /** The grant state with its empty keys filled where the directory allows, or empty when nothing changes. */
    private static Optional<GrantState> withKeysBoundNow(GrantState state, DirectoryView directory) {
        Grant grant = state.getGrant();
        GrantState.Builder filled = GrantState.newBuilder(state);
        if (!state.getHolderSigningKey().hasRemaining()) {
            directory.find(grant.getHolderId()).map(holder -> directory.signingKey(holder.getPrincipal()))
                    .filter(key -> signedBy(key, grant))
                    .ifPresent(key -> filled.setHolderSigningKey(ByteBuffer.wrap(key)));
        }
        if (!state.getConsumerEncryptionKey().hasRemaining()) {
            directory.find(grant.getConsumerId()).map(VerifiedPrincipal::getPrincipal).map(directory::encryptionKey)
                    .ifPresent(key -> filled.setConsumerEncryptionKey(ByteBuffer.wrap(key)));
        }
        GrantState result = filled.build();
        return result.equals(state) ? Optional.empty() : Optional.of(result);
    }

    /** Whether {@code holderKey} verifies the holder's signature on the grant. */
    static boolean signedBy(byte[] holderKey, Grant grant) {
        try {
            GrantRecords.verify(holderKey, grant);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }
}
