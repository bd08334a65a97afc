package io.idstream.gateway.views;

import io.idstream.avro.HolderBackup;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.KeyBackup;
import io.idstream.mapping.AvroBytes;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The latest sealed key backup of each holder (docs/protocol.md section 17), from the compacted backups topic: kept
 * under the holder's id, replaced by each newer record. Only the gateway writes that topic, after checking the
 * holder's signature and that the bytes are a backup of her id; a record that is not a backup of the principal it is
 * keyed by is not kept, whoever wrote it, since an unsigned read hands it to anyone asking for that id.
 */
final class BackupView extends ViewProcessor<HolderBackup> {
    static final String NAME = "gateway-backup-view";

    private KeyValueStore<String, HolderBackup> backups;

    BackupView(Deserializer<HolderBackup> deserializer, int partitions) {
        super(deserializer, partitions);
    }

    @Override
    protected void open(ProcessorContext<Void, Void> context) {
        backups = context.getStateStore(GatewayStores.BACKUPS);
    }

    @Override
    protected void handle(String key, String holderId, HolderBackup value) {
        if (!key.equals(holderId)) {
            ignore("malformed-key", "a backup key names an item under '" + text(holderId) + "'");
            return;
        }
        if (value == null) {
            backups.delete(holderId);
            return;
        }
        if (!value.getPrincipalId().equals(holderId)) {
            ignore("holder-mismatch", "a backup of '" + text(value.getPrincipalId()) + "' under key '" + text(key)
                    + "'");
            return;
        }
        try {
            String sealedFor = KeyBackup.readHeader(AvroBytes.of(value.getBackup())).principalId();
            if (!sealedFor.equals(holderId)) {
                ignore("holder-mismatch", "the backup under key '" + text(key) + "' seals the keys of '"
                        + text(sealedFor) + "'");
                return;
            }
        } catch (CryptoException e) {
            ignore("malformed", "the backup under key '" + text(key) + "' is not a backup: " + text(e.getMessage()));
            return;
        }
        backups.put(holderId, value);
    }
}
