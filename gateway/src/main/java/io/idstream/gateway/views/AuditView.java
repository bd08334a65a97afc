package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.PendingRequest;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.gateway.views.HolderViews.AuditEntry;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The holder's audit trail, which is also what the processors decided: each entry is kept under
 * {@code <holderId>/<offset>}, its offset in the audit topic's partition being its cursor; an entry that answers a
 * request takes it out of the inbox (or marks it answered, if the inbox entry has not been read yet); and an entry
 * about a grant starts it, counts a use of it, or ends it. It also schedules the removal of what has expired
 * ({@link ExpiredEntries}), since its task holds every store that expires.
 */
final class AuditView extends ViewProcessor<AccessAudit> {
    static final String NAME = "gateway-audit-view";
    /** Outcomes that answer the request they name, as the holder's own client reads them. */
    static final Set<AuditOutcome> ANSWERED = EnumSet.of(AuditOutcome.DELIVERED, AuditOutcome.DENIED,
            AuditOutcome.EXPIRED, AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED,
            AuditOutcome.ISSUER_NOT_ACCREDITED);
    /**
     * Outcomes that end the grant they name: KEY_CHANGED ends it too, when the holder's signing key or the
     * consumer's encryption key is no longer the one bound when it was accepted (docs/protocol.md section 11).
     */
    static final Set<AuditOutcome> GRANT_ENDED = EnumSet.of(AuditOutcome.REVOKED, AuditOutcome.EXPIRED,
            AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED, AuditOutcome.KEY_CHANGED);

    private final HolderChanges changes;
    private final long replayWindowMs;
    private final long pendingTtlMs;
    private final Duration punctuateInterval;
    private final int punctuateMaxExpiries;
    private KeyValueStore<String, AccessAudit> audit;
    private KeyValueStore<String, PendingRequest> inbox;
    private KeyValueStore<String, Long> answered;
    private KeyValueStore<String, GrantProgress> grants;
    private ExpiryIndex expiry;
    private DirectoryView directory;

    AuditView(Deserializer<AccessAudit> deserializer, int partitions, HolderChanges changes, long replayWindowMs,
              long pendingTtlMs, Duration punctuateInterval, int punctuateMaxExpiries) {
        super(deserializer, partitions);
        this.changes = changes;
        this.replayWindowMs = replayWindowMs;
        this.pendingTtlMs = pendingTtlMs;
        this.punctuateInterval = punctuateInterval;
        this.punctuateMaxExpiries = punctuateMaxExpiries;
    }

    @Override
    protected void open(ProcessorContext<Void, Void> context) {
        audit = context.getStateStore(GatewayStores.AUDIT);
        inbox = context.getStateStore(GatewayStores.INBOX);
        answered = context.getStateStore(GatewayStores.ANSWERED);
        grants = context.getStateStore(GatewayStores.GRANTS);
        expiry = new ExpiryIndex(context.getStateStore(GatewayStores.EXPIRY));
        directory = DirectoryView.ofAllRoles(context);
        ExpiredEntries expired = new ExpiredEntries(context, expiry, pendingTtlMs, punctuateMaxExpiries);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, expired::removeDue);
    }

    @Override
    protected void handle(String key, String holderId, AccessAudit entry) {
        if (entry == null) {
            ignore("no-value", "the audit topic has no tombstones");
            return;
        }
        if (!key.equals(holderId) || !entry.getHolderId().equals(holderId)) {
            ignore("holder-mismatch", "an entry of '" + text(entry.getHolderId()) + "' under key '" + text(key) + "'");
            return;
        }
        long cursor = offset();
        audit.put(HolderKeys.of(holderId, ExpiryIndex.padded(cursor)), entry);
        changes.audited(holderId, new AuditEntry(cursor, entry));
        if (ANSWERED.contains(entry.getOutcome()) && !entry.getRequestId().isEmpty()) {
            answer(HolderKeys.of(holderId, entry.getRequestId()));
        }
        if (!entry.getGrantId().isEmpty()) {
            grantAudited(holderId, entry);
        }
    }

    private void answer(String requestKey) {
        if (inbox.get(requestKey) != null) {
            inbox.delete(requestKey);
            return;
        }
        long now = context.currentSystemTimeMs();
        answered.put(requestKey, now);
        expiry.add(now + replayWindowMs, GatewayStores.ANSWERED, requestKey);
    }

    private void grantAudited(String holderId, AccessAudit entry) {
        String grantId = entry.getGrantId();
        String grantKey = HolderKeys.of(holderId, grantId);
        GrantProgress known = grants.get(grantKey);
        if (entry.getOutcome() == AuditOutcome.GRANTED) {
            GrantProgress granted;
            if (known == null) {
                long now = context.currentSystemTimeMs();
                granted = GrantProgress.grantedWithoutTerms(now);
                expiry.add(now + replayWindowMs, GatewayStores.GRANTS, grantKey);
            } else {
                granted = verifiedIfKnown(holderId, known.asGranted());
            }
            grants.put(grantKey, granted);
            if (granted.active()) {
                changes.grantChanged(holderId, grantId, new ActiveGrant(granted.terms(), granted.uses()));
            }
        } else if (entry.getOutcome() == AuditOutcome.DELIVERED && known != null && known.granted()) {
            GrantProgress used = verifiedIfKnown(holderId, known.usedOnceMore());
            grants.put(grantKey, used);
            if (used.active()) {
                changes.grantChanged(holderId, grantId, new ActiveGrant(used.terms(), used.uses()));
            }
        } else if (GRANT_ENDED.contains(entry.getOutcome()) && known != null) {
            grants.delete(grantKey);
            if (known.active()) {
                changes.grantChanged(holderId, grantId, null);
            }
        }
    }

    /**
     * Verifies terms kept unverified because the holder's key was not known when they were read: once it is, they
     * are kept verified, or dropped (and counted) when they are not the holder's.
     */
    private GrantProgress verifiedIfKnown(String holderId, GrantProgress progress) {
        if (!progress.awaitsVerification()) {
            return progress;
        }
        return switch (GrantTermsView.TermsCheck.of(directory.find(holderId), progress.terms())) {
            case VERIFIED -> progress.asVerified();
            case UNKNOWN_HOLDER -> progress;
            case BAD_SIGNATURE -> {
                ignore("bad-signature", "grant " + text(progress.terms().getGrantId())
                        + " is not signed by the key of '" + text(holderId) + "'");
                yield progress.withoutTerms();
            }
        };
    }
}
