package io.idstream.processors.access;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.Revocation;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Identifiers;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.DeliveryTopics;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import io.idstream.processors.StoreNames;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The access processor (DESIGN.md "Scope of an access grant"): one task owns all of one holder's state (stored
 * credentials, grants with their uses, pending requests, used ids) and answers each consumer request at once from
 * an active grant that covers it, or parks it in the holder's inbox. Holders' grants answer parked requests at
 * once; denials, revocations, erasures, issuers' revocations and expiries reach the affected consumers as notices.
 * Every delivery, pending request, denial, revocation, expiry and erasure is audited.
 */
public final class AccessProcessor extends GuardedProcessor {
    public static final String NAME = "access-processor";
    public static final String GRANTS_STORE = "grants";
    public static final String PENDING_STORE = "pending-requests";
    public static final String SEEN_IDS_STORE = "seen-ids";

    private static final Logger LOG = LoggerFactory.getLogger(AccessProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final Deserializer<AccessRequest> requests;
    private final Deserializer<DecisionEvent> decisions;
    private final String requestsTopic;
    private final ProcessorsConfig config;
    private final DeliveryTopics deliveryTopics;
    private DirectoryView directory;
    private KeyValueStore<String, StoredCredential> credentials;
    private KeyValueStore<String, GrantState> grants;
    private KeyValueStore<String, PendingRequest> pending;
    private KeyValueStore<String, Long> seenIds;
    private final java.util.Map<AuditOutcome, org.apache.kafka.common.metrics.Sensor> outcomeSensors =
            new java.util.EnumMap<>(AuditOutcome.class);

    public AccessProcessor(Deserializer<AccessRequest> requests, Deserializer<DecisionEvent> decisions,
                           String requestsTopic, ProcessorsConfig config, DeliveryTopics deliveryTopics) {
        super(Sinks.REJECTED);
        this.requests = requests;
        this.decisions = decisions;
        this.requestsTopic = requestsTopic;
        this.config = config;
        this.deliveryTopics = deliveryTopics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        super.init(context);
        KeyValueStore<String, VerifiedPrincipal> directoryStore = context.getStateStore(StoreNames.DIRECTORY);
        this.directory = new DirectoryView(directoryStore);
        this.credentials = context.getStateStore(StorageProcessor.CREDENTIALS_STORE);
        this.grants = context.getStateStore(GRANTS_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.seenIds = context.getStateStore(SEEN_IDS_STORE);
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    protected void handle(Record<Object, Object> record) {
        if (record.value() instanceof StoredCredential changed) {
            credentialChanged(changed, record.timestamp());
            return;
        }
        String key = keyOf(record);
        byte[] bytes = (byte[]) record.value();
        if (sourceTopic().equals(requestsTopic)) {
            request(key, decode(requests, sourceTopic(), bytes), record.timestamp());
            return;
        }
        Object decision = decode(decisions, sourceTopic(), bytes).getDecision();
        if (decision instanceof Grant grant) {
            grant(key, grant, record.timestamp());
        } else if (decision instanceof Denial denial) {
            deny(key, denial, record.timestamp());
        } else if (decision instanceof Revocation revocation) {
            revoke(key, revocation, record.timestamp());
        } else if (decision instanceof Erasure erasure) {
            erase(key, erasure, record.timestamp());
        } else {
            throw new Rejection(RejectReason.MALFORMED, "decision of unknown kind");
        }
    }

    // ---- requests ----

    private void request(String key, AccessRequest request, long timestamp) {
        String holderId = request.getHolderId();
        requireKey(key, holderId, "holder id");
        try {
            Identifiers.requireUuid("request id", request.getRequestId());
            Identifiers.requirePrincipalId("consumer id", request.getConsumerId());
            if (!request.getCredentialId().isEmpty()) {
                Identifiers.requireUuid("credential id", request.getCredentialId());
            }
            request.getFields().forEach(Identifiers::requireFieldName);
        } catch (CryptoException e) {
            throw new Rejection(RejectReason.MALFORMED, e.getMessage());
        }
        if (request.getFields().isEmpty() || !Encoding.isStrictlySorted(request.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "requested fields are empty, unsorted or repeated");
        }
        Principal consumer = directory.require(request.getConsumerId(), DirectoryView.CONSUMER,
                RejectReason.UNKNOWN_PRINCIPAL);
        directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> RequestRecords.verify(directory.signingKey(consumer), request));
        long now = context.currentSystemTimeMs();
        if (request.getCreatedAt() < now - config.replayWindowMs()) {
            throw new Rejection(RejectReason.STALE, "request " + request.getRequestId()
                    + " was created before the replay window");
        }
        markUsed(holderId, "request:" + request.getRequestId(), now);
        if (!deliveryTopics.exists(request.getConsumerId())) {
            throw new Rejection(RejectReason.NO_DELIVERY_TOPIC, "delivery topic of consumer '"
                    + request.getConsumerId() + "' does not exist");
        }

        StoredCredential credential = resolve(request);
        if (credential != null && credential.getStatus() == CredentialStatus.REVOKED) {
            notifyConsumer(NoticeKind.CREDENTIAL_REVOKED, request.getConsumerId(), holderId, request.getRequestId(),
                    "", request.getCredentialId(), "the credential was revoked by its issuer", timestamp);
            return;
        }
        String credentialId = credential == null ? "" : credential.getCredential().getCredentialId();
        if (credential != null) {
            Optional<KeyValue<String, GrantState>> covering = coveringGrant(holderId, request.getConsumerId(),
                    credentialId, request.getFields(), now);
            if (covering.isPresent()) {
                deliver(request, credential, covering.get(), now, timestamp);
                return;
            }
        }
        park(request, credential, now, timestamp);
    }

    /** The credential a request names, or the newest active one of its type from an accredited issuer. */
    private StoredCredential resolve(AccessRequest request) {
        String holderId = request.getHolderId();
        if (!request.getCredentialId().isEmpty()) {
            StoredCredential named = credentials.get(HolderKeys.of(holderId, request.getCredentialId()));
            if (named == null) {
                throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + request.getCredentialId()
                        + " of holder '" + holderId + "' is not stored");
            }
            return named;
        }
        StoredCredential newest = null;
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, StoredCredential> all = credentials.prefixScan(HolderKeys.prefixOf(holderId),
                KEYS)) {
            while (all.hasNext()) {
                StoredCredential candidate = all.next().value;
                CredentialIssued issued = candidate.getCredential();
                if (issued.getType().equals(request.getCredentialType()) && isUsable(candidate, now)
                        && directory.isAccredited(issued.getIssuerId())
                        && (newest == null || issued.getIssuedAt() > newest.getCredential().getIssuedAt())) {
                    newest = candidate;
                }
            }
        }
        return newest;
    }

    private Optional<KeyValue<String, GrantState>> coveringGrant(String holderId, String consumerId,
                                                                 String credentialId, List<String> fields, long now) {
        try (KeyValueIterator<String, GrantState> all = grants.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, GrantState> entry = all.next();
                if (covers(entry.value, consumerId, credentialId, fields, now)) {
                    return Optional.of(entry);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean covers(GrantState state, String consumerId, String credentialId, List<String> fields,
                                  long now) {
        Grant grant = state.getGrant();
        return grant.getConsumerId().equals(consumerId)
                && grant.getCredentialId().equals(credentialId)
                && new HashSet<>(grant.getFields()).containsAll(fields)
                && grant.getNotBefore() <= now
                && (grant.getExpiresAt() == 0 || now < grant.getExpiresAt())
                && (grant.getMaxUses() == 0 || state.getUsesSpent() < grant.getMaxUses());
    }

    private void deliver(AccessRequest request, StoredCredential credential, KeyValue<String, GrantState> grantEntry,
                         long now, long timestamp) {
        Grant grant = grantEntry.value.getGrant();
        Set<String> granted = new HashSet<>(grant.getFields());
        List<String> disclosedNames = request.getFields().stream().filter(granted::contains).toList();
        CredentialIssued issued = credential.getCredential();
        CredentialDelivery delivery = DeliveryRecords.assemble(request.getRequestId(), request.getConsumerId(),
                issued, grant, disclosedNames, now);
        context.forward(new Record<>(issued.getHolderId(), new DeliveryEvent(delivery), timestamp), Sinks.DELIVERIES);

        GrantState spent = GrantState.newBuilder(grantEntry.value).setUsesSpent(grantEntry.value.getUsesSpent() + 1)
                .build();
        if (grant.getMaxUses() != 0 && spent.getUsesSpent() >= grant.getMaxUses()) {
            grants.delete(grantEntry.key);
            holderNotice(HolderNoticeKind.GRANT_EXHAUSTED, issued.getHolderId(), grant.getConsumerId(), "",
                    grant.getGrantId(), grant.getCredentialId(), "the grant's " + grant.getMaxUses()
                            + " uses are spent", timestamp);
        } else {
            grants.put(grantEntry.key, spent);
        }
        audit(issued.getHolderId(), request.getConsumerId(), issued.getCredentialId(), request.getRequestId(),
                grant.getGrantId(), disclosedNames, request.getPurpose(), AuditOutcome.DELIVERED, timestamp);
        LOG.info("Delivered holderId={} consumerId={} requestId={} grantId={} fields={}", issued.getHolderId(),
                request.getConsumerId(), request.getRequestId(), grant.getGrantId(), disclosedNames);
    }

    private void park(AccessRequest request, StoredCredential credential, long now, long timestamp) {
        String holderId = request.getHolderId();
        VerifiedPrincipal consumer = directory.find(request.getConsumerId()).orElseThrow();
        CredentialIssued issued = credential == null ? null : credential.getCredential();
        PendingRequest parked = PendingRequest.newBuilder()
                .setRequest(request)
                .setConsumerDisplayName(consumer.getPrincipal().getDisplayName())
                .setConsumerAccredited(consumer.getAccreditation() != null)
                .setCredentialId(issued == null ? "" : issued.getCredentialId())
                .setCredentialType(issued == null ? request.getCredentialType() : issued.getType())
                .setIssuerId(issued == null ? "" : issued.getIssuerId())
                .setReceivedAt(now)
                .setExpiresAt(now + config.pendingTtlMs())
                .build();
        pending.put(HolderKeys.of(holderId, request.getRequestId()), parked);
        context.forward(new Record<>(holderId, new InboxEvent(parked), timestamp), Sinks.INBOX);
        notifyConsumer(NoticeKind.PENDING, request.getConsumerId(), holderId, request.getRequestId(), "",
                parked.getCredentialId(), "waiting for the holder's decision", timestamp);
        audit(holderId, request.getConsumerId(), parked.getCredentialId(), request.getRequestId(), "",
                request.getFields(), request.getPurpose(), AuditOutcome.PENDING, timestamp);
    }

    // ---- holder decisions ----

    private void grant(String key, Grant grant, long timestamp) {
        String holderId = grant.getHolderId();
        requireKey(key, holderId, "holder id");
        try {
            Identifiers.requireUuid("grant id", grant.getGrantId());
            Identifiers.requireUuid("credential id", grant.getCredentialId());
            if (!grant.getRequestId().isEmpty()) {
                Identifiers.requireUuid("request id", grant.getRequestId());
            }
        } catch (CryptoException e) {
            throw new Rejection(RejectReason.MALFORMED, e.getMessage());
        }
        if (grant.getMaxUses() < 0 || grant.getFields().isEmpty() || !Encoding.isStrictlySorted(grant.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "grant has negative uses or empty, unsorted or repeated fields");
        }
        Principal holder = directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        directory.require(grant.getConsumerId(), DirectoryView.CONSUMER, RejectReason.UNKNOWN_PRINCIPAL);
        checkSignature(() -> GrantRecords.verify(directory.signingKey(holder), grant));
        StoredCredential credential = credentials.get(HolderKeys.of(holderId, grant.getCredentialId()));
        if (credential == null) {
            throw new Rejection(RejectReason.NOT_OWNER, "credential " + grant.getCredentialId()
                    + " is not a stored credential of holder '" + holderId + "'");
        }
        long now = context.currentSystemTimeMs();
        if (!isUsable(credential, now)) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + grant.getCredentialId()
                    + " is revoked or expired");
        }
        Set<String> fields = new HashSet<>();
        credential.getCredential().getFields().forEach(f -> fields.add(f.getName()));
        if (!fields.containsAll(grant.getFields())) {
            throw new Rejection(RejectReason.MALFORMED, "grant names fields the credential does not have");
        }
        markUsed(holderId, "grant:" + grant.getGrantId(), now);
        String grantKey = HolderKeys.of(holderId, grant.getGrantId());
        grants.put(grantKey, new GrantState(grant, 0, now));
        audit(holderId, grant.getConsumerId(), grant.getCredentialId(), grant.getRequestId(), grant.getGrantId(),
                grant.getFields(), grant.getPurpose(), AuditOutcome.GRANTED, timestamp);
        answerPending(holderId, grantKey, credential, now, timestamp);
    }

    /** One-click reuse: every parked request the new grant covers is answered now, the named one first. */
    private void answerPending(String holderId, String grantKey, StoredCredential credential, long now,
                               long timestamp) {
        Grant grant = grants.get(grantKey).getGrant();
        List<KeyValue<String, PendingRequest>> candidates = new ArrayList<>();
        try (KeyValueIterator<String, PendingRequest> all = pending.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            all.forEachRemaining(candidates::add);
        }
        candidates.sort((a, b) -> Boolean.compare(
                !a.value.getRequest().getRequestId().equals(grant.getRequestId()),
                !b.value.getRequest().getRequestId().equals(grant.getRequestId())));
        for (KeyValue<String, PendingRequest> entry : candidates) {
            AccessRequest request = entry.value.getRequest();
            boolean sameCredential = entry.value.getCredentialId().equals(grant.getCredentialId())
                    || (entry.value.getCredentialId().isEmpty()
                    && request.getCredentialType().equals(credential.getCredential().getType()));
            GrantState state = grants.get(grantKey);
            if (state == null || !sameCredential
                    || !covers(state, request.getConsumerId(), grant.getCredentialId(), request.getFields(), now)) {
                continue;
            }
            pending.delete(entry.key);
            deliver(request, credential, KeyValue.pair(grantKey, state), now, timestamp);
            holderNotice(HolderNoticeKind.REQUEST_ANSWERED, holderId, request.getConsumerId(),
                    request.getRequestId(), grant.getGrantId(), grant.getCredentialId(),
                    "answered from grant " + grant.getGrantId(), timestamp);
        }
    }

    private void deny(String key, Denial denial, long timestamp) {
        String holderId = denial.getHolderId();
        requireKey(key, holderId, "holder id");
        Principal holder = directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> DecisionRecords.verify(directory.signingKey(holder), denial));
        String pendingKey = HolderKeys.of(holderId, denial.getRequestId());
        PendingRequest parked = pending.get(pendingKey);
        if (parked == null) {
            throw new Rejection(RejectReason.UNKNOWN_REQUEST, "request " + denial.getRequestId()
                    + " is not pending for holder '" + holderId + "'");
        }
        pending.delete(pendingKey);
        AccessRequest request = parked.getRequest();
        notifyConsumer(NoticeKind.DENIED, request.getConsumerId(), holderId, request.getRequestId(), "",
                parked.getCredentialId(), "the holder denied the request", timestamp);
        audit(holderId, request.getConsumerId(), parked.getCredentialId(), request.getRequestId(), "",
                request.getFields(), request.getPurpose(), AuditOutcome.DENIED, timestamp);
    }

    private void revoke(String key, Revocation revocation, long timestamp) {
        String holderId = revocation.getHolderId();
        requireKey(key, holderId, "holder id");
        Principal holder = directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> DecisionRecords.verify(directory.signingKey(holder), revocation));
        String grantKey = HolderKeys.of(holderId, revocation.getGrantId());
        GrantState state = grants.get(grantKey);
        if (state == null) {
            throw new Rejection(RejectReason.UNKNOWN_GRANT, "grant " + revocation.getGrantId()
                    + " is not active for holder '" + holderId + "'");
        }
        grants.delete(grantKey);
        endGrant(state.getGrant(), NoticeKind.REVOKED, AuditOutcome.REVOKED, "the holder revoked the grant",
                timestamp);
    }

    private void erase(String key, Erasure erasure, long timestamp) {
        String holderId = erasure.getHolderId();
        requireKey(key, holderId, "holder id");
        Principal holder = directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> DecisionRecords.verify(directory.signingKey(holder), erasure));
        String credentialKey = HolderKeys.of(holderId, erasure.getCredentialId());
        if (credentials.get(credentialKey) == null) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + erasure.getCredentialId()
                    + " is not stored for holder '" + holderId + "'");
        }
        credentials.delete(credentialKey);
        context.forward(new Record<>(credentialKey, null, timestamp), Sinks.STORED);
        endEverythingOn(holderId, erasure.getCredentialId(), NoticeKind.ERASED, AuditOutcome.ERASED,
                "the holder erased the credential", timestamp);
        holderNotice(HolderNoticeKind.CREDENTIAL_ERASED, holderId, "", "", "", erasure.getCredentialId(),
                "credential erased", timestamp);
        audit(holderId, "", erasure.getCredentialId(), "", "", List.of(), "", AuditOutcome.ERASED, timestamp);
    }

    /** From the storage processor: a credential its issuer revoked. */
    private void credentialChanged(StoredCredential changed, long timestamp) {
        CredentialIssued issued = changed.getCredential();
        if (changed.getStatus() == CredentialStatus.REVOKED) {
            endEverythingOn(issued.getHolderId(), issued.getCredentialId(), NoticeKind.CREDENTIAL_REVOKED,
                    AuditOutcome.CREDENTIAL_REVOKED, "the issuer revoked the credential: "
                            + changed.getRevocationReason(), timestamp);
            holderNotice(HolderNoticeKind.CREDENTIAL_REVOKED, issued.getHolderId(), "", "", "",
                    issued.getCredentialId(), "revoked by " + issued.getIssuerId() + ": "
                            + changed.getRevocationReason(), timestamp);
        }
    }

    /** Ends every grant on the credential and drops every request parked on it, telling each consumer. */
    private void endEverythingOn(String holderId, String credentialId, NoticeKind kind, AuditOutcome outcome,
                                 String reason, long timestamp) {
        List<KeyValue<String, GrantState>> ended = new ArrayList<>();
        try (KeyValueIterator<String, GrantState> all = grants.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            all.forEachRemaining(entry -> {
                if (entry.value.getGrant().getCredentialId().equals(credentialId)) {
                    ended.add(entry);
                }
            });
        }
        for (KeyValue<String, GrantState> entry : ended) {
            grants.delete(entry.key);
            endGrant(entry.value.getGrant(), kind, outcome, reason, timestamp);
        }
        List<KeyValue<String, PendingRequest>> dropped = new ArrayList<>();
        try (KeyValueIterator<String, PendingRequest> all = pending.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            all.forEachRemaining(entry -> {
                if (entry.value.getCredentialId().equals(credentialId)) {
                    dropped.add(entry);
                }
            });
        }
        for (KeyValue<String, PendingRequest> entry : dropped) {
            pending.delete(entry.key);
            AccessRequest request = entry.value.getRequest();
            notifyConsumer(kind, request.getConsumerId(), holderId, request.getRequestId(), "", credentialId, reason,
                    timestamp);
        }
    }

    private void endGrant(Grant grant, NoticeKind kind, AuditOutcome outcome, String reason, long timestamp) {
        notifyConsumer(kind, grant.getConsumerId(), grant.getHolderId(), "", grant.getGrantId(),
                grant.getCredentialId(), reason, timestamp);
        audit(grant.getHolderId(), grant.getConsumerId(), grant.getCredentialId(), grant.getRequestId(),
                grant.getGrantId(), grant.getFields(), grant.getPurpose(), outcome, timestamp);
    }

    // ---- expiry, on wall-clock punctuation ----

    void expire(long now) {
        List<KeyValue<String, GrantState>> expiredGrants = new ArrayList<>();
        try (KeyValueIterator<String, GrantState> all = grants.all()) {
            all.forEachRemaining(entry -> {
                long expiresAt = entry.value.getGrant().getExpiresAt();
                if (expiresAt != 0 && now >= expiresAt) {
                    expiredGrants.add(entry);
                }
            });
        }
        for (KeyValue<String, GrantState> entry : expiredGrants) {
            grants.delete(entry.key);
            Grant grant = entry.value.getGrant();
            endGrant(grant, NoticeKind.EXPIRED, AuditOutcome.EXPIRED, "the grant expired", now);
            holderNotice(HolderNoticeKind.GRANT_EXPIRED, grant.getHolderId(), grant.getConsumerId(), "",
                    grant.getGrantId(), grant.getCredentialId(), "the grant expired", now);
        }
        List<KeyValue<String, PendingRequest>> expiredRequests = new ArrayList<>();
        try (KeyValueIterator<String, PendingRequest> all = pending.all()) {
            all.forEachRemaining(entry -> {
                if (now >= entry.value.getExpiresAt()) {
                    expiredRequests.add(entry);
                }
            });
        }
        for (KeyValue<String, PendingRequest> entry : expiredRequests) {
            pending.delete(entry.key);
            AccessRequest request = entry.value.getRequest();
            notifyConsumer(NoticeKind.EXPIRED, request.getConsumerId(), request.getHolderId(), request.getRequestId(),
                    "", entry.value.getCredentialId(), "the holder did not answer in time", now);
            holderNotice(HolderNoticeKind.REQUEST_EXPIRED, request.getHolderId(), request.getConsumerId(),
                    request.getRequestId(), "", entry.value.getCredentialId(), "the request expired unanswered", now);
            audit(request.getHolderId(), request.getConsumerId(), entry.value.getCredentialId(),
                    request.getRequestId(), "", request.getFields(), request.getPurpose(), AuditOutcome.EXPIRED, now);
        }
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seenIds.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value < now - config.replayWindowMs()) {
                    forgotten.add(entry.key);
                }
            });
        }
        forgotten.forEach(seenIds::delete);
    }

    // ---- helpers ----

    private void markUsed(String holderId, String id, long now) {
        String seenKey = HolderKeys.of(holderId, id);
        if (seenIds.get(seenKey) != null) {
            throw new Rejection(RejectReason.REPLAY, id + " was already used");
        }
        seenIds.put(seenKey, now);
    }

    private static boolean isUsable(StoredCredential credential, long now) {
        long expiresAt = credential.getCredential().getExpiresAt();
        return credential.getStatus() == CredentialStatus.ACTIVE && (expiresAt == 0 || now < expiresAt);
    }

    private void notifyConsumer(NoticeKind kind, String consumerId, String holderId, String requestId,
                                String grantId, String credentialId, String reason, long timestamp) {
        ConsumerNotice notice = new ConsumerNotice(kind, consumerId, holderId, requestId, grantId, credentialId,
                reason, context.currentSystemTimeMs());
        context.forward(new Record<>(holderId, new DeliveryEvent(notice), timestamp), Sinks.DELIVERIES);
    }

    private void holderNotice(HolderNoticeKind kind, String holderId, String consumerId, String requestId,
                              String grantId, String credentialId, String reason, long timestamp) {
        HolderNotice notice = new HolderNotice(kind, holderId, consumerId, requestId, grantId, credentialId, reason,
                context.currentSystemTimeMs());
        context.forward(new Record<>(holderId, new InboxEvent(notice), timestamp), Sinks.INBOX);
    }

    private void audit(String holderId, String consumerId, String credentialId, String requestId, String grantId,
                       List<String> fields, String purpose, AuditOutcome outcome, long timestamp) {
        AccessAudit audit = new AccessAudit(holderId, consumerId, credentialId, requestId, grantId,
                Encoding.sorted(fields), purpose, outcome, context.currentSystemTimeMs());
        context.forward(new Record<>(holderId, audit, timestamp), Sinks.AUDIT);
        outcomeSensors.computeIfAbsent(outcome, o -> counter("outcomes-total",
                "Deliveries, pending requests, grants, denials, revocations, expiries and erasures, by outcome",
                "outcome", o.name())).record();
    }
}
