package io.idstream.gateway.views;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.StoredCredential;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The holder's vault as the processors publish it: each stored credential under its own key,
 * {@code <holderId>/<credentialId>}, replaced by a newer state (revoked by its issuer) and deleted by a tombstone
 * (erased by the holder).
 */
final class CredentialsView extends ViewProcessor<StoredCredential> {
    static final String NAME = "gateway-credentials-view";

    private KeyValueStore<String, StoredCredential> credentials;

    CredentialsView(Deserializer<StoredCredential> deserializer, int partitions) {
        super(deserializer, partitions);
    }

    @Override
    protected void open(ProcessorContext<Void, Void> context) {
        credentials = context.getStateStore(GatewayStores.CREDENTIALS);
    }

    @Override
    protected void handle(String key, String holderId, StoredCredential value) {
        String credentialId = HolderKeys.thingIdOf(key);
        if (credentialId.isEmpty()) {
            ignore("malformed-key", "a vault key names no credential");
            return;
        }
        if (value == null) {
            credentials.delete(key);
            return;
        }
        CredentialIssued credential = value.getCredential();
        if (!credential.getHolderId().equals(holderId) || !credential.getCredentialId().equals(credentialId)) {
            ignore("holder-mismatch", "credential " + text(credential.getCredentialId()) + " of '"
                    + text(credential.getHolderId()) + "' under key '" + text(key) + "'");
            return;
        }
        credentials.put(key, value);
    }
}
