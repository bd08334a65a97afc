package io.idstream.gateway.http;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.gateway.views.HolderViews;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Views filled by the test, for the HTTP layer's own logic; the owner of every holder is set as a whole. */
final class InMemoryHolderViews implements HolderViews {
    final Map<String, VerifiedPrincipal> principals = new ConcurrentHashMap<>();
    final Map<String, List<PendingRequest>> inboxes = new ConcurrentHashMap<>();
    final Map<String, List<StoredCredential>> credentials = new ConcurrentHashMap<>();
    final Map<String, List<ActiveGrant>> grants = new ConcurrentHashMap<>();
    final Map<String, List<AccessAudit>> audits = new ConcurrentHashMap<>();
    final Map<String, List<WriteGrant>> writeGrants = new ConcurrentHashMap<>();
    final Map<String, List<ConsentRequest>> consentRequests = new ConcurrentHashMap<>();
    final Map<String, HolderBackup> backups = new ConcurrentHashMap<>();
    volatile Optional<Owner> owner = Optional.of(new Owner("localhost", 0, true));
    volatile List<Owner> instances = List.of();

    InMemoryHolderViews with(VerifiedPrincipal principal) {
        principals.put(principal.getPrincipal().getId(), principal);
        return this;
    }

    @Override
    public List<PendingRequest> inbox(String holderId, long now) {
        return inboxes.getOrDefault(holderId, List.of()).stream().filter(r -> r.getExpiresAt() > now).toList();
    }

    @Override
    public List<StoredCredential> credentials(String holderId) {
        return credentials.getOrDefault(holderId, List.of());
    }

    @Override
    public Optional<StoredCredential> credential(String holderId, String credentialId) {
        return credentials(holderId).stream()
                .filter(c -> c.getCredential().getCredentialId().equals(credentialId)).findFirst();
    }

    @Override
    public List<ActiveGrant> grants(String holderId) {
        return grants.getOrDefault(holderId, List.of());
    }

    @Override
    public List<WriteGrant> writeGrants(String holderId, long now) {
        return writeGrants.getOrDefault(holderId, List.of()).stream().filter(w -> w.getExpiresAt() > now).toList();
    }

    @Override
    public List<ConsentRequest> consentRequests(String holderId, long now) {
        return consentRequests.getOrDefault(holderId, List.of());
    }

    @Override
    public Optional<HolderBackup> backup(String holderId) {
        return Optional.ofNullable(backups.get(holderId));
    }

    @Override
    public AuditPage audit(String holderId, long after, int limit) {
        List<AccessAudit> all = audits.getOrDefault(holderId, List.of());
        List<AuditEntry> page = new ArrayList<>();
        for (int cursor = (int) after + 1; cursor < all.size() && page.size() < limit; cursor++) {
            page.add(new AuditEntry(cursor, all.get(cursor)));
        }
        long next = page.isEmpty() || page.get(page.size() - 1).cursor() == all.size() - 1 ? -1
                : page.get(page.size() - 1).cursor();
        return new AuditPage(page, next);
    }

    @Override
    public Optional<VerifiedPrincipal> principal(String principalId) {
        return Optional.ofNullable(principals.get(principalId));
    }

    @Override
    public Optional<Owner> ownerOf(String holderId) {
        return owner;
    }

    @Override
    public List<Owner> instances() {
        return instances;
    }

    static <T> List<T> listOf(T item) {
        return new CopyOnWriteArrayList<>(List.of(item));
    }
}
