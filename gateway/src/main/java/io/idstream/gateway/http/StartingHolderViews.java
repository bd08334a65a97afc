package io.idstream.gateway.http;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.gateway.views.HolderViews;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.List;
import java.util.Optional;

/**
 * The views of an instance whose HTTP server is up before its Kafka Streams application: the application needs the
 * server's bound port as its {@code application.server}, so the server starts first with these, and every request
 * is answered 503 unavailable until {@link #ready} hands over the application's views.
 */
public final class StartingHolderViews implements HolderViews {
    private volatile HolderViews views;

    /** From now on, requests are answered from these views. */
    public void ready(HolderViews started) {
        this.views = started;
    }

    private HolderViews views() {
        HolderViews current = views;
        if (current == null) {
            throw new InvalidStateStoreException("the gateway's views are starting");
        }
        return current;
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
    public List<WriteGrant> writeGrants(String holderId, long now) {
        return views().writeGrants(holderId, now);
    }

    @Override
    public List<ConsentRequest> consentRequests(String holderId, long now) {
        return views().consentRequests(holderId, now);
    }

    @Override
    public Optional<HolderBackup> backup(String holderId) {
        return views().backup(holderId);
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

    @Override
    public List<Owner> instances() {
        HolderViews current = views;
        return current == null ? List.of() : current.instances();
    }
}
