package io.idstream.platform.gateway;

import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.gateway.views.HolderViews;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.List;
import java.util.Optional;

/**
 * The views the HTTP server is started with before the views exist: the server must be bound first, since its port
 * is the {@code application.server} the views announce to other instances. Until {@link #ready} hands over the
 * running views, every read fails as a store that is not yet queryable does, which the server answers with 503.
 */
final class StartingHolderViews implements HolderViews {
    private volatile HolderViews running;

    void ready(HolderViews views) {
        this.running = views;
    }

    private HolderViews views() {
        HolderViews views = running;
        if (views == null) {
            throw new InvalidStateStoreException("the gateway's views are starting");
        }
        return views;
    }

    @Override
    public List<PendingRequest> inbox(String holderId, long now) {
        return views().inbox(holderId, now);
    }

    @Override
    public List<StoredCredential> credentials(String holderId) {
        return views().credentials(holderId);
    }

    @Override
    public Optional<StoredCredential> credential(String holderId, String credentialId) {
        return views().credential(holderId, credentialId);
    }

    @Override
    public List<ActiveGrant> grants(String holderId) {
        return views().grants(holderId);
    }

    @Override
    public AuditPage audit(String holderId, long after, int limit) {
        return views().audit(holderId, after, limit);
    }

    @Override
    public Optional<VerifiedPrincipal> principal(String principalId) {
        return views().principal(principalId);
    }

    @Override
    public Optional<Owner> ownerOf(String holderId) {
        return views().ownerOf(holderId);
    }
}
