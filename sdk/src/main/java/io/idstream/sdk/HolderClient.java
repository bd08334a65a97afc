package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Grants;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
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
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * A holder's client: reads the inbox of pending requests, approves with a scope (fields, time window, uses) or
 * denies, revokes grants, erases credentials, and reads the vault and the audit trail. Approving unwraps the
 * credential key locally and wraps only the granted fields' keys to the consumer; no key leaves this process.
 */
public final class HolderClient extends PrincipalClient {
    private static final Set<AuditOutcome> ANSWERED = EnumSet.of(AuditOutcome.DELIVERED, AuditOutcome.DENIED,
            AuditOutcome.EXPIRED, AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED,
            AuditOutcome.ISSUER_NOT_ACCREDITED);
    private static final Set<AuditOutcome> GRANT_ENDED = EnumSet.of(AuditOutcome.REVOKED, AuditOutcome.EXPIRED,
            AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED);

    public HolderClient(Identity identity, Properties properties) {
        super(identity, properties);
    }

    /** What the holder allows: the fields (null: those asked for), how long (null: no end), how many uses (0: any). */
    public record Scope(List<String> fields, Duration validFor, int maxUses) {
    }

    /**
     * Requests still waiting for this holder's decision, oldest first. Each shows its consumer's display name and
     * accreditation as the verified directory holds them, and the resolved credential's type and issuer as the vault
     * holds them, never the inbox record's copies; a request that is not addressed to this holder, whose consumer
     * the directory does not hold, or whose signature does not verify with that consumer's key, is left out and
     * reported ({@link #skippedRecords()}; docs/protocol.md section 12).
     */
    public List<PendingRequest> inbox() {
        return inbox(audit());
    }

    /** {@link #inbox()}, given the audit trail just read with {@link #audit()} (so a caller reads it once). */
    public List<PendingRequest> inbox(List<AccessAudit> trail) {
        Set<String> answered = new HashSet<>();
        trail.forEach(a -> {
            if (ANSWERED.contains(a.getOutcome()) && !a.getRequestId().isEmpty()) {
                answered.add(a.getRequestId());
            }
        });
        List<PendingRequest> pending = new ArrayList<>();
        Map<String, StoredCredential> vault = null;
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, InboxEvent> record : gateway.readPartitionOf(gateway.catalog().holderInbox(),
                identity.id(), identity.id()::equals)) {
            if (record.value() != null && record.value().getEvent() instanceof PendingRequest request
                    && !answered.contains(request.getRequest().getRequestId()) && request.getExpiresAt() > now) {
                AccessRequest asked = request.getRequest();
                Optional<VerifiedPrincipal> consumer = asked.getHolderId().equals(identity.id())
                        ? directory.find(asked.getConsumerId()) : Optional.empty();
                Optional<String> refusal = refusal(asked, consumer);
                if (refusal.isPresent()) {
                    gateway.skip(new SkippedRecord(record.topic(), record.partition(), record.offset(),
                            refusal.get()));
                    continue;
                }
                if (vault == null) {
                    vault = credentials();
                }
                pending.add(asShown(request, consumer.get(), vault));
            }
        }
        return pending;
    }

    /**
     * Why a request in the inbox is not shown: it is not addressed to this holder, or names a consumer that the
     * directory ({@code consumer}, its entry) does not hold as a consumer, or does not carry that consumer's valid
     * signature; empty when none of these.
     */
    private Optional<String> refusal(AccessRequest request, Optional<VerifiedPrincipal> consumer) {
        String what = "request " + request.getRequestId();
        if (!request.getHolderId().equals(identity.id())) {
            return Optional.of(what + " is addressed to '" + request.getHolderId() + "', not to '" + identity.id()
                    + "'");
        }
        if (consumer.isEmpty()) {
            return Optional.of(what + " names consumer '" + request.getConsumerId()
                    + "', which is not in the directory");
        }
        String role = consumer.get().getPrincipal().getRole();
        if (!role.equals("consumer")) {
            return Optional.of(what + " names '" + request.getConsumerId() + "', which the directory holds as "
                    + role + ", not as consumer");
        }
        try {
            RequestRecords.verify(PrincipalRecords.signingKey(consumer.get().getPrincipal()), request);
        } catch (CryptoException e) {
            return Optional.of(what + " does not carry a valid signature of consumer '" + request.getConsumerId()
                    + "'");
        }
        return Optional.empty();
    }

    /**
     * The pending request as the holder is shown it: the consumer's name and accreditation from its directory entry,
     * the resolved credential's type and issuer from the vault; a credential that is not in the vault, or is not the
     * one the request asks for, is shown as none (nothing to approve with).
     */
    private static PendingRequest asShown(PendingRequest pending, VerifiedPrincipal consumer,
                                          Map<String, StoredCredential> vault) {
        AccessRequest request = pending.getRequest();
        PendingRequest.Builder shown = PendingRequest.newBuilder(pending)
                .setConsumerDisplayName(consumer.getPrincipal().getDisplayName())
                .setConsumerAccredited(consumer.getAccreditation() != null);
        StoredCredential resolved = vault.get(pending.getCredentialId());
        boolean answersTheRequest = resolved != null
                && (request.getCredentialId().isEmpty()
                        || request.getCredentialId().equals(resolved.getCredential().getCredentialId()))
                && (request.getCredentialType().isEmpty()
                        || request.getCredentialType().equals(resolved.getCredential().getType()));
        if (answersTheRequest) {
            shown.setCredentialType(resolved.getCredential().getType())
                    .setIssuerId(resolved.getCredential().getIssuerId());
        } else {
            shown.setCredentialId("").setCredentialType(request.getCredentialType()).setIssuerId("");
        }
        return shown.build();
    }

    /** Approves a pending request with a scope; returns the new grant's id. */
    public String approve(String requestId, Scope scope) {
        PendingRequest pending = inbox().stream().filter(p -> p.getRequest().getRequestId().equals(requestId))
                .findFirst().orElseThrow(() -> new IdstreamException("request " + requestId
                        + " is not pending for '" + identity.id() + "'"));
        if (pending.getCredentialId().isEmpty()) {
            throw new IdstreamException("request " + requestId + " matches none of your credentials");
        }
        List<String> fields = scope.fields() == null ? pending.getRequest().getFields() : scope.fields();
        return grant(pending.getRequest().getConsumerId(), pending.getCredentialId(), requestId,
                pending.getRequest().getPurpose(), fields, scope);
    }

    /** A standing grant, made without a request: the consumer's matching requests are answered at once. */
    public String grant(String consumerId, String credentialId, String purpose, Scope scope) {
        return grant(consumerId, credentialId, "", purpose, scope.fields(), scope);
    }

    private String grant(String consumerId, String credentialId, String requestId, String purpose,
                         List<String> fields, Scope scope) {
        VerifiedPrincipal consumer = directory.require(consumerId, "consumer");
        Grant grant = signGrant(identity, credential(credentialId).getCredential(), consumerId,
                PrincipalRecords.encryptionKey(consumer.getPrincipal()), requestId, purpose, fields, scope,
                System.currentTimeMillis());
        gateway.send(gateway.catalog().accessDecisions(), identity.id(), new DecisionEvent(grant));
        return grant.getGrantId();
    }

    /**
     * The holder's signed grant of a credential's fields to the consumer's encryption key, issued {@code now}, its
     * window starting then and lasting the scope's {@code validFor}; the credential key is unwrapped and dropped here.
     */
    static Grant signGrant(Identity holder, CredentialIssued credential, String consumerId,
                           byte[] consumerEncryptionKey, String requestId, String purpose, List<String> fields,
                           Scope scope, long now) {
        long expiresAt = scope.validFor() == null ? 0L : now + scope.validFor().toMillis();
        try {
            return GrantRecords.grant(holder.signing(), holder.encryption(), credential,
                    new Grants.Terms(UUID.randomUUID().toString(), consumerId, requestId, purpose, now, now,
                            expiresAt, scope.maxUses(), fields), consumerEncryptionKey);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
    }

    public void deny(String requestId) {
        gateway.send(gateway.catalog().accessDecisions(), identity.id(), new DecisionEvent(DecisionRecords.denial(
                identity.signing(), requestId, identity.id(), System.currentTimeMillis())));
    }

    public void revoke(String grantId) {
        gateway.send(gateway.catalog().accessDecisions(), identity.id(), new DecisionEvent(
                DecisionRecords.revocation(identity.signing(), grantId, identity.id(), System.currentTimeMillis())));
    }

    public void erase(String credentialId) {
        gateway.send(gateway.catalog().accessDecisions(), identity.id(), new DecisionEvent(
                DecisionRecords.erasure(identity.signing(), credentialId, identity.id(), System.currentTimeMillis())));
    }

    /** The holder's stored credentials, by id (latest state; erased ones are gone). */
    public Map<String, StoredCredential> credentials() {
        Map<String, StoredCredential> byId = new LinkedHashMap<>();
        String prefix = HolderKeys.prefixOf(identity.id());
        for (ConsumerRecord<String, StoredCredential> record : gateway.readPartitionOf(
                gateway.catalog().credentialsStored(), identity.id(), key -> key.startsWith(prefix))) {
            String credentialId = HolderKeys.thingIdOf(record.key());
            if (record.value() == null) {
                byId.remove(credentialId);
            } else {
                byId.put(credentialId, record.value());
            }
        }
        return byId;
    }

    /**
     * The holder's own view of a credential: every field decrypted here, with the holder's key, and checked against
     * the issuer's signed commitments. The values stay in this process.
     */
    public Map<String, String> open(String credentialId) {
        CredentialIssued c = credential(credentialId).getCredential();
        Credentials.IssuedCredential issued = CredentialRecords.fromAvro(c);
        byte[] issuerKey = PrincipalRecords.signingKey(directory.require(c.getIssuerId(), "issuer").getPrincipal());
        try {
            Credentials.verifyIssuerSignature(issuerKey, issued.header(), issued.commitments(),
                    issued.issuerSignature());
            return Credentials.open(identity.encryption(), issued);
        } catch (CryptoException e) {
            throw new IdstreamException("credential " + credentialId + " does not open: " + e.getMessage(), e);
        }
    }

    public StoredCredential credential(String credentialId) {
        StoredCredential stored = credentials().get(credentialId);
        if (stored == null) {
            throw new IdstreamException("credential " + credentialId + " is not in the vault of '" + identity.id()
                    + "'");
        }
        return stored;
    }

    /**
     * Waits until the processors have stored the credential, then returns it as the vault holds it now (an erasure
     * since is refused as for {@link #credential}).
     */
    public StoredCredential awaitCredential(String credentialId, Duration timeout) {
        String key = HolderKeys.of(identity.id(), credentialId);
        gateway.awaitRecord(gateway.catalog().credentialsStored(), identity.id(),
                record -> key.equals(record.key()) && record.value() != null, timeout,
                "credential " + credentialId + " was not stored", "see the rejected topic for why");
        return credential(credentialId);
    }

    /** Grants that have not been revoked, expired or ended with their credential, by grant id. */
    public Map<String, AccessAudit> activeGrants() {
        return activeGrants(audit());
    }

    static Map<String, AccessAudit> activeGrants(List<AccessAudit> trail) {
        Map<String, AccessAudit> active = new LinkedHashMap<>();
        for (AccessAudit entry : trail) {
            if (entry.getOutcome() == AuditOutcome.GRANTED) {
                active.put(entry.getGrantId(), entry);
            } else if (GRANT_ENDED.contains(entry.getOutcome())) {
                active.remove(entry.getGrantId());
            }
        }
        return active;
    }

    /** An active grant with its terms, as the holder signed them, and its uses so far. */
    public record GrantView(String grantId, String consumerId, String credentialId, List<String> fields,
                            String purpose, long grantedAt, long expiresAt, int maxUses, int uses) {
        /** Uses left, or -1 when the grant has no limit. */
        public int usesLeft() {
            return maxUses == 0 ? -1 : Math.max(0, maxUses - uses);
        }
    }

    /** Active grants with their terms (read back from this holder's own signed decisions) and uses, oldest first. */
    public List<GrantView> grants() {
        return grants(audit());
    }

    /** {@link #grants()}, given the audit trail just read with {@link #audit()} (so a caller reads it once). */
    public List<GrantView> grants(List<AccessAudit> trail) {
        Map<String, AccessAudit> active = activeGrants(trail);
        Map<String, Integer> uses = new HashMap<>();
        for (AccessAudit entry : trail) {
            if (entry.getOutcome() == AuditOutcome.DELIVERED) {
                uses.merge(entry.getGrantId(), 1, Integer::sum);
            }
        }
        Map<String, Grant> terms = new HashMap<>();
        for (ConsumerRecord<String, DecisionEvent> record : gateway.readPartitionOf(
                gateway.catalog().accessDecisions(), identity.id(), identity.id()::equals)) {
            if (record.value() != null && record.value().getDecision() instanceof Grant grant
                    && active.containsKey(grant.getGrantId())) {
                terms.put(grant.getGrantId(), grant);
            }
        }
        List<GrantView> views = new ArrayList<>();
        active.forEach((grantId, granted) -> {
            Grant grant = terms.get(grantId);
            views.add(new GrantView(grantId, granted.getConsumerId(), granted.getCredentialId(),
                    List.copyOf(granted.getFields()), granted.getPurpose(), granted.getAt(),
                    grant == null ? 0L : grant.getExpiresAt(), grant == null ? 0 : grant.getMaxUses(),
                    uses.getOrDefault(grantId, 0)));
        });
        return views;
    }

    /** Who received what, when and why: this holder's audit trail, oldest first. */
    public List<AccessAudit> audit() {
        List<AccessAudit> trail = new ArrayList<>();
        gateway.readPartitionOf(gateway.catalog().audit(), identity.id(), identity.id()::equals)
                .forEach(r -> trail.add(r.value()));
        return trail;
    }

    /** Waits until the inbox holds the request; refuses one that has been answered or has expired since. */
    public PendingRequest awaitPending(String requestId, Duration timeout) {
        gateway.awaitRecord(gateway.catalog().holderInbox(), identity.id(),
                record -> identity.id().equals(record.key()) && record.value() != null
                        && record.value().getEvent() instanceof PendingRequest p
                        && p.getRequest().getRequestId().equals(requestId),
                timeout, "request " + requestId + " did not reach the inbox", "");
        return inbox().stream().filter(p -> p.getRequest().getRequestId().equals(requestId)).findFirst()
                .orElseThrow(() -> new IdstreamException(skippedRecords().stream()
                        .map(SkippedRecord::reason).filter(reason -> reason.startsWith("request " + requestId + " "))
                        .findFirst().orElse("request " + requestId + " is no longer pending for '" + identity.id()
                                + "'")));
    }
}
