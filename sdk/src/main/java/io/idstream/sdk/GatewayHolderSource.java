package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.CryptoException;
import io.idstream.mapping.GrantRecords;
import io.idstream.sdk.GatewayConnection.ActiveGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The holder's state as the holder gateway serves it over {@link GatewayConnection}, and its decisions handed to the
 * gateway. The gateway answers from its own views, so what it serves is already without answered or expired requests
 * and ended grants. A grant is shown only with the holder's own valid signature; a directory entry only for the id
 * asked. Waits poll the gateway, each poll a new signed request.
 */
final class GatewayHolderSource implements HolderSource {
    /** The longest pause between two polls of a wait. */
    static final Duration MAX_POLL_PAUSE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHolderSource.class);

    /** The holder, whose signature a grant must carry: its new keys after a rotation. */
    private volatile Identity holder;
    private final GatewayConnection gateway;
    private final Map<String, SkippedRecord> skipped = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SkippedRecord> eldest) {
            return size() > KafkaGateway.SKIPPED_REMEMBERED;
        }
    };

    GatewayHolderSource(Identity holder, GatewayConnection gateway) {
        this.holder = holder;
        this.gateway = gateway;
    }

    /** Where the inbox's requests are reported as read: the gateway's inbox, the position in its answer. */
    private String inboxPlace() {
        return place("/inbox");
    }

    @Override
    public String place(String path) {
        return gateway.url() + "/v1/holders/" + holder.id() + path;
    }

    @Override
    public void register(Principal registration, Duration timeout) {
        gateway.register(registration);
        poll(() -> {
            try {
                return principal(registration.getId()).filter(PrincipalClient.shows(registration)).isPresent();
            } catch (GatewayRefusal refusal) {
                if (refusal.code().equals("unknown-holder")) {
                    return false;
                }
                throw refusal;
            }
        }, timeout, "registration of '" + registration.getId() + "': the directory does not show it");
    }

    @Override
    public void sendRegistration(Principal registration) {
        gateway.register(registration);
    }

    @Override
    public List<Served> pendingRequests(Supplier<List<AccessAudit>> trail) {
        List<Served> served = new ArrayList<>();
        List<PendingRequest> inbox = gateway.inbox();
        for (int i = 0; i < inbox.size(); i++) {
            served.add(new Served(inbox.get(i), inboxPlace(), 0, i));
        }
        return served;
    }

    @Override
    public Map<String, StoredCredential> credentials() {
        Map<String, StoredCredential> byId = new LinkedHashMap<>();
        gateway.credentials().forEach(c -> byId.put(c.getCredential().getCredentialId(), c));
        return byId;
    }

    @Override
    public Optional<StoredCredential> credential(String credentialId) {
        return gateway.credential(credentialId)
                .filter(stored -> stored.getCredential().getCredentialId().equals(credentialId));
    }

    @Override
    public List<AccessAudit> audit() {
        List<AccessAudit> trail = new ArrayList<>();
        gateway.auditEntries(-1).forEachRemaining(entry -> trail.add(entry.entry()));
        return trail;
    }

    /** The gateway's grants in force; one whose terms do not carry this holder's signature is reported, not shown. */
    @Override
    public List<HolderClient.GrantView> grants(Supplier<List<AccessAudit>> trail) {
        List<HolderClient.GrantView> views = new ArrayList<>();
        List<ActiveGrant> grants = gateway.grants();
        for (int i = 0; i < grants.size(); i++) {
            Grant grant = grants.get(i).grant();
            try {
                GrantRecords.verify(holder.signing().publicKey(), grant);
            } catch (CryptoException e) {
                skip(new SkippedRecord(place("/grants"), 0, i, "grant "
                        + grant.getGrantId() + " does not carry a valid signature of '" + holder.id() + "'"));
                continue;
            }
            views.add(new HolderClient.GrantView(grant.getGrantId(), grant.getConsumerId(), grant.getCredentialId(),
                    List.copyOf(grant.getFields()), grant.getPurpose(), grant.getIssuedAt(), grant.getExpiresAt(),
                    grant.getMaxUses(), grants.get(i).uses()));
        }
        return views;
    }

    /** The entry the gateway serves for the id, if it is that id's: one for another principal is no answer. */
    @Override
    public Optional<VerifiedPrincipal> principal(String principalId) {
        return gateway.principal(principalId).filter(entry -> entry.getPrincipal().getId().equals(principalId));
    }

    @Override
    public void decide(DecisionEvent decision) {
        gateway.decide(decision);
    }

    @Override
    public List<WriteGrant> writeGrants() {
        return gateway.writeGrants();
    }

    @Override
    public List<ConsentRequest> consentRequests() {
        return gateway.consentRequests();
    }

    @Override
    public void storeBackup(byte[] backup) {
        gateway.storeBackup(backup);
    }

    @Override
    public JsonNode export() {
        return gateway.export();
    }

    @Override
    public void useKeys(Identity rotated) {
        gateway.useKeys(rotated);
        holder = rotated;
    }

    @Override
    public void awaitCredential(String credentialId, Duration timeout) {
        poll(() -> credential(credentialId).isPresent(), timeout, "credential " + credentialId
                + " was not stored; see the rejected topic for why");
    }

    @Override
    public void awaitPending(String requestId, Duration timeout) {
        poll(() -> gateway.inbox().stream().anyMatch(p -> p.getRequest().getRequestId().equals(requestId)),
                timeout, "request " + requestId + " did not reach the inbox");
    }

    /** Asks {@code done} again, with growing pauses, until it holds; "{@code notSeen} within N s" if it never does. */
    static void poll(BooleanSupplier done, Duration timeout, String notSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 50;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IdstreamException(notSeen + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(Math.min(pauseMillis, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IdstreamException("interrupted while waiting: " + notSeen, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, MAX_POLL_PAUSE.toMillis());
        }
    }

    @Override
    public void skip(SkippedRecord record) {
        String key = record.topic() + "@" + record.offset() + ":" + record.reason();
        synchronized (skipped) {
            if (skipped.putIfAbsent(key, record) != null) {
                return;
            }
        }
        LOG.warn("skipped what the gateway served: at={} position={} reason={}", record.topic(), record.offset(),
                record.reason());
    }

    @Override
    public List<SkippedRecord> skippedRecords() {
        synchronized (skipped) {
            return List.copyOf(skipped.values());
        }
    }

    @Override
    public void close() {
        // The JDK's HTTP client holds no connection that outlives a request here; event subscriptions close themselves.
    }
}
