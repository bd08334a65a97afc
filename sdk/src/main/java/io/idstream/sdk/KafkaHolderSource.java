package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The holder's state read from the holder's partitions of the platform's topics, and its decisions written to
 * {@code access.decisions}, through the client's {@link KafkaGateway}; directory entries come from the verified
 * directory, which only the processors write.
 */
final class KafkaHolderSource implements HolderSource {
    private static final Set<AuditOutcome> ANSWERED = EnumSet.of(AuditOutcome.DELIVERED, AuditOutcome.DENIED,
            AuditOutcome.EXPIRED, AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED,
            AuditOutcome.ISSUER_NOT_ACCREDITED);

    private final String holderId;
    private final KafkaGateway gateway;
    private final DirectoryClient directory;

    KafkaHolderSource(String holderId, KafkaGateway gateway, DirectoryClient directory) {
        this.holderId = holderId;
        this.gateway = gateway;
        this.directory = directory;
    }

    @Override
    public void register(Principal registration, Duration timeout) {
        gateway.send(gateway.catalog().directory(), holderId, new DirectoryEvent(registration));
        directory.await(holderId, PrincipalClient.shows(registration), timeout, "registration of '" + holderId + "'");
    }

    @Override
    public List<Served> pendingRequests(Supplier<List<AccessAudit>> trail) {
        Set<String> answered = new HashSet<>();
        trail.get().forEach(a -> {
            if (ANSWERED.contains(a.getOutcome()) && !a.getRequestId().isEmpty()) {
                answered.add(a.getRequestId());
            }
        });
        long now = System.currentTimeMillis();
        List<Served> pending = new ArrayList<>();
        for (ConsumerRecord<String, InboxEvent> record : gateway.readPartitionOf(gateway.catalog().holderInbox(),
                holderId, holderId::equals)) {
            if (record.value() != null && record.value().getEvent() instanceof PendingRequest request
                    && !answered.contains(request.getRequest().getRequestId()) && request.getExpiresAt() > now) {
                pending.add(new Served(request, record.topic(), record.partition(), record.offset()));
            }
        }
        return pending;
    }

    @Override
    public Map<String, StoredCredential> credentials() {
        Map<String, StoredCredential> byId = new LinkedHashMap<>();
        String prefix = HolderKeys.prefixOf(holderId);
        for (ConsumerRecord<String, StoredCredential> record : gateway.readPartitionOf(
                gateway.catalog().credentialsStored(), holderId, key -> key.startsWith(prefix))) {
            String credentialId = HolderKeys.thingIdOf(record.key());
            if (record.value() == null) {
                byId.remove(credentialId);
            } else {
                byId.put(credentialId, record.value());
            }
        }
        return byId;
    }

    @Override
    public Optional<StoredCredential> credential(String credentialId) {
        return Optional.ofNullable(credentials().get(credentialId));
    }

    @Override
    public List<AccessAudit> audit() {
        List<AccessAudit> trail = new ArrayList<>();
        gateway.readPartitionOf(gateway.catalog().audit(), holderId, holderId::equals)
                .forEach(r -> trail.add(r.value()));
        return trail;
    }

    /** Grants active in the trail, with their terms read back from the holder's own signed decisions. */
    @Override
    public List<HolderClient.GrantView> grants(Supplier<List<AccessAudit>> trail) {
        List<AccessAudit> entries = trail.get();
        Map<String, AccessAudit> active = HolderClient.activeGrants(entries);
        Map<String, Integer> uses = new HashMap<>();
        for (AccessAudit entry : entries) {
            if (entry.getOutcome() == AuditOutcome.DELIVERED) {
                uses.merge(entry.getGrantId(), 1, Integer::sum);
            }
        }
        Map<String, Grant> terms = new HashMap<>();
        for (ConsumerRecord<String, DecisionEvent> record : gateway.readPartitionOf(
                gateway.catalog().accessDecisions(), holderId, holderId::equals)) {
            if (record.value() != null && record.value().getDecision() instanceof Grant grant
                    && active.containsKey(grant.getGrantId())) {
                terms.put(grant.getGrantId(), grant);
            }
        }
        List<HolderClient.GrantView> views = new ArrayList<>();
        active.forEach((grantId, granted) -> {
            Grant grant = terms.get(grantId);
            views.add(new HolderClient.GrantView(grantId, granted.getConsumerId(), granted.getCredentialId(),
                    List.copyOf(granted.getFields()), granted.getPurpose(), granted.getAt(),
                    grant == null ? 0L : grant.getExpiresAt(), grant == null ? 0 : grant.getMaxUses(),
                    uses.getOrDefault(grantId, 0)));
        });
        return views;
    }

    @Override
    public Optional<VerifiedPrincipal> principal(String principalId) {
        return directory.find(principalId);
    }

    @Override
    public void decide(DecisionEvent decision) {
        gateway.send(gateway.catalog().accessDecisions(), holderId, decision);
    }

    @Override
    public void awaitCredential(String credentialId, Duration timeout) {
        String key = HolderKeys.of(holderId, credentialId);
        gateway.awaitRecord(gateway.catalog().credentialsStored(), holderId,
                record -> key.equals(record.key()) && record.value() != null, timeout,
                "credential " + credentialId + " was not stored", "see the rejected topic for why");
    }

    @Override
    public void awaitPending(String requestId, Duration timeout) {
        gateway.awaitRecord(gateway.catalog().holderInbox(), holderId,
                record -> holderId.equals(record.key()) && record.value() != null
                        && record.value().getEvent() instanceof PendingRequest p
                        && p.getRequest().getRequestId().equals(requestId),
                timeout, "request " + requestId + " did not reach the inbox", "");
    }

    @Override
    public void skip(SkippedRecord record) {
        gateway.skip(record);
    }

    @Override
    public List<SkippedRecord> skippedRecords() {
        return gateway.skippedRecords();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
