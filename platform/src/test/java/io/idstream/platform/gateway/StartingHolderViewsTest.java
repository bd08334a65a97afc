package io.idstream.platform.gateway;

import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.gateway.views.HolderViews;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Between the HTTP server's start and the views' start, a holder's request is answered as a store not yet
 * queryable is (the server's 503), never from empty views that would tell a holder she has no requests.
 */
class StartingHolderViewsTest {
    private static final HolderViews.Owner HERE = new HolderViews.Owner("127.0.0.1", 8090, true);

    @Test
    void everyReadFailsAsNotYetQueryableUntilTheViewsRun() {
        StartingHolderViews views = new StartingHolderViews();

        assertThatThrownBy(() -> views.ownerOf("alice")).isInstanceOf(InvalidStateStoreException.class)
                .hasMessage("the gateway's views are starting");
        assertThatThrownBy(() -> views.inbox("alice", 0L)).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> views.principal("alice")).isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void onceReadyItAnswersFromTheRunningViews() {
        StartingHolderViews views = new StartingHolderViews();

        views.ready(new OwningEveryHolder());

        assertThat(views.ownerOf("alice")).contains(HERE);
    }

    /** Views that own every holder and hold nothing. */
    private static final class OwningEveryHolder implements HolderViews {
        @Override
        public List<PendingRequest> inbox(String holderId, long now) {
            return List.of();
        }

        @Override
        public List<StoredCredential> credentials(String holderId) {
            return List.of();
        }

        @Override
        public Optional<StoredCredential> credential(String holderId, String credentialId) {
            return Optional.empty();
        }

        @Override
        public List<ActiveGrant> grants(String holderId) {
            return List.of();
        }

        @Override
        public AuditPage audit(String holderId, long after, int limit) {
            return new AuditPage(List.of(), -1);
        }

        @Override
        public Optional<VerifiedPrincipal> principal(String principalId) {
            return Optional.empty();
        }

        @Override
        public Optional<Owner> ownerOf(String holderId) {
            return Optional.of(HERE);
        }
    }
}
