package io.idstream.processors.access;

import io.idstream.avro.WriteGrant;
import io.idstream.crypto.CryptoException;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Holders' write grants (docs/protocol.md section 6a), keyed {@code <holderId>/<writeGrantId>} in the
 * {@link StoreNames#WRITE_GRANTS} store and entered in the {@link ExpiryIndex} by when they end. The access processor
 * adds and removes them as holders decide; the storage processor asks whether one allows an issuer to write a
 * credential of a type now. A write grant past its expiry never allows anything, even before the punctuation has
 * removed it; one the holder's signing key bound now did not sign ends when either processor next looks at it.
 */
final class WriteGrantStore {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, WriteGrant> store;
    private final ExpiryIndex expiries;

    WriteGrantStore(ProcessorContext<?, ?> context, ExpiryIndex expiries) {
        this.store = context.getStateStore(StoreNames.WRITE_GRANTS);
        this.expiries = expiries;
    }

    void add(WriteGrant writeGrant) {
        String key = HolderKeys.of(writeGrant.getHolderId(), writeGrant.getWriteGrantId());
        store.put(key, writeGrant);
        expiries.add(ExpiryIndex.Kind.WRITE_GRANT, writeGrant.getExpiresAt(), key);
    }

    /** Removes the holder's write grant in force; refuses the revocation of one the holder does not have. */
    WriteGrant remove(String holderId, String writeGrantId, long now) {
        String key = HolderKeys.of(holderId, writeGrantId);
        WriteGrant writeGrant = store.get(key);
        if (writeGrant == null || !inForce(writeGrant, now)) {
            throw new Rejection(RejectReason.UNKNOWN_GRANT, "write grant " + writeGrantId
                    + " is not in force for holder '" + holderId + "'");
        }
        delete(key, writeGrant);
        return writeGrant;
    }

    /** Whether a write grant of the holder in force now names the issuer and the credential type. */
    boolean allows(String holderId, String issuerId, String credentialType, long now) {
        try (KeyValueIterator<String, WriteGrant> all = store.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            while (all.hasNext()) {
                WriteGrant writeGrant = all.next().value;
                if (writeGrant.getIssuerId().equals(issuerId) && inForce(writeGrant, now)
                        && writeGrant.getCredentialTypes().contains(credentialType)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes the holder's write grants that {@code holderKey}, the holder's signing key bound now, did not sign;
     * returns them. The holder's client shows only those its key signed, so she could not revoke the others.
     */
    List<WriteGrant> removeNotSignedBy(String holderId, byte[] holderKey) {
        List<KeyValue<String, WriteGrant>> removed = HolderState.scan(store, holderId,
                writeGrant -> !signedBy(holderKey, writeGrant));
        removed.forEach(entry -> delete(entry.key, entry.value));
        return removed.stream().map(entry -> entry.value).toList();
    }

    private static boolean signedBy(byte[] holderKey, WriteGrant writeGrant) {
        try {
            WriteGrantRecords.verify(holderKey, writeGrant);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }

    /** At most {@code limit} of the write grants expired at {@code now}, removed, earliest first. */
    List<WriteGrant> removeExpiredAt(long now, int limit) {
        List<WriteGrant> removed = new ArrayList<>();
        for (ExpiryIndex.Due due : expiries.due(ExpiryIndex.Kind.WRITE_GRANT, now, limit)) {
            WriteGrant writeGrant = store.get(due.key());
            if (writeGrant == null || writeGrant.getExpiresAt() != due.at()) {
                expiries.remove(ExpiryIndex.Kind.WRITE_GRANT, due.at(), due.key());
                continue;
            }
            delete(due.key(), writeGrant);
            removed.add(writeGrant);
        }
        return removed;
    }

    private void delete(String key, WriteGrant writeGrant) {
        store.delete(key);
        expiries.remove(ExpiryIndex.Kind.WRITE_GRANT, writeGrant.getExpiresAt(), key);
    }

    static boolean inForce(WriteGrant writeGrant, long now) {
        return writeGrant.getIssuedAt() <= now && now < writeGrant.getExpiresAt();
    }
}
