package io.idstream.gateway.views;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;

/**
 * Told of each change of a holder's views as the gateway's topology makes it, on the stream thread that made it, so
 * that open event streams are pushed the change. Implementations return at once: they must not block the thread.
 */
public interface HolderChanges {
    HolderChanges NONE = new HolderChanges() {
        @Override
        public void requestPending(String holderId, PendingRequest request) {
        }

        @Override
        public void audited(String holderId, HolderViews.AuditEntry entry) {
        }

        @Override
        public void grantChanged(String holderId, String grantId, HolderViews.ActiveGrant grantOrNull) {
        }
    };

    /** A new request reached the holder's inbox. */
    void requestPending(String holderId, PendingRequest request);

    /** A new consent request of an issuer reached the holder's inbox, as forwarded, not verified by the gateway. */
    default void consentRequested(String holderId, ConsentRequest request) {
    }

    /** A new entry of the holder's audit trail. */
    void audited(String holderId, HolderViews.AuditEntry entry);

    /** A grant began, was used, or ended ({@code grantOrNull} null). */
    void grantChanged(String holderId, String grantId, HolderViews.ActiveGrant grantOrNull);

    /**
     * This instance took over a holder partition (at its start, or in a rebalance): the holders whose ids hash to
     * {@code partition} of {@code partitions} are served here from now on.
     */
    default void partitionAssigned(int partition, int partitions) {
    }

    /** This instance no longer serves the holders of the partition: another instance, or none yet, does. */
    default void partitionRevoked(int partition, int partitions) {
    }
}
