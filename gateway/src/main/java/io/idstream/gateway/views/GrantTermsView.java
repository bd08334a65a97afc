package io.idstream.gateway.views;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the terms of holders' grants from the decisions topic. That topic is written by holders, not the processors,
 * so a grant's terms are kept only if they are the holder's own: keyed by the holder they name and signed with that
 * holder's key in the verified directory (docs/protocol.md section 6). Terms of a holder the directory does not show
 * yet are kept unverified, and show only once they verify under the key it binds to her later. Terms are shown only once the audit shows the
 * processors accepted the grant ({@link AuditView}); terms never accepted are forgotten a replay window after they
 * were read, since the processors refuse a grant issued longer ago than that. Denials, revocations and erasures act
 * through the audit entries the processors write for them. Write grants and their revocations, read from the same
 * topic, go to {@link WriteGrantsHandler}.
 */
final class GrantTermsView extends ViewProcessor<DecisionEvent> {
    static final String NAME = "gateway-grant-terms-view";

    private final HolderChanges changes;
    private final long replayWindowMs;
    private final WriteGrantsHandler writeGrants;
    private KeyValueStore<String, GrantProgress> grants;
    private ExpiryIndex expiry;
    private DirectoryView directory;

    GrantTermsView(Deserializer<DecisionEvent> deserializer, int partitions, HolderChanges changes,
                   long replayWindowMs, long pendingTtlMs) {
        super(deserializer, partitions);
        this.changes = changes;
        this.replayWindowMs = replayWindowMs;
        this.writeGrants = new WriteGrantsHandler(pendingTtlMs);
    }

    @Override
    protected void open(ProcessorContext<Void, Void> context) {
        grants = context.getStateStore(GatewayStores.GRANTS);
        expiry = new ExpiryIndex(context.getStateStore(GatewayStores.EXPIRY));
        directory = DirectoryView.ofAllRoles(context);
        writeGrants.open(context);
    }

    @Override
    protected void handle(String key, String holderId, DecisionEvent value) {
        if (value == null) {
            ignore("no-value", "the decisions topic has no tombstones");
            return;
        }
        if (value.getDecision() instanceof WriteGrant writeGrant) {
            writeGrants.writeGrant(key, holderId, writeGrant, this::ignore);
            return;
        }
        if (value.getDecision() instanceof WriteGrantRevocation revocation) {
            writeGrants.revocation(key, holderId, revocation, this::ignore);
            return;
        }
        if (!(value.getDecision() instanceof Grant grant)) {
            return;
        }
        if (!key.equals(holderId) || !grant.getHolderId().equals(holderId)) {
            ignore("holder-mismatch", "grant " + text(grant.getGrantId()) + " of '" + text(grant.getHolderId())
                    + "' under key '" + text(key) + "'");
            return;
        }
        TermsCheck check = TermsCheck.of(directory.find(holderId), grant);
        if (check == TermsCheck.BAD_SIGNATURE) {
            ignore("bad-signature", "grant " + text(grant.getGrantId()) + " is not signed by the key of '"
                    + text(holderId) + "'");
            return;
        }
        // Terms of a holder the directory does not show yet are kept, unverified: her registration may reach this
        // instance after her first grant. They are verified when the processors' acceptance or a read needs them.
        boolean verified = check == TermsCheck.VERIFIED;
        String grantKey = HolderKeys.of(holderId, grant.getGrantId());
        GrantProgress known = grants.get(grantKey);
        if (known == null) {
            long now = context.currentSystemTimeMs();
            grants.put(grantKey, GrantProgress.ofTerms(grant, verified, now));
            expiry.add(now + replayWindowMs, GatewayStores.GRANTS, grantKey);
        } else if (known.terms() == null) {
            GrantProgress completed = known.withTerms(grant, verified);
            grants.put(grantKey, completed);
            if (completed.active()) {
                changes.grantChanged(holderId, grant.getGrantId(), new ActiveGrant(grant, completed.uses()));
            }
        } else {
            // The processors refuse a grant id seen before, so the terms read first are the ones they judged.
            ignore("repeated-grant-id", "grant " + text(grant.getGrantId()) + " was read before");
        }
    }

    /** Whether a grant's terms are its holder's own, by the key the verified directory binds to the holder. */
    enum TermsCheck {
        VERIFIED, UNKNOWN_HOLDER, BAD_SIGNATURE;

        static TermsCheck of(Optional<VerifiedPrincipal> entry, Grant grant) {
            return of(entry, holderKey -> GrantRecords.verify(holderKey, grant));
        }

        /** The check of any holder-signed record, {@code verify} throwing when it is not signed by the key. */
        static TermsCheck of(Optional<VerifiedPrincipal> entry, Consumer<byte[]> verify) {
            Optional<VerifiedPrincipal> holder = entry
                    .filter(principal -> principal.getPrincipal().getRole().equals(DirectoryView.HOLDER));
            if (holder.isEmpty()) {
                return UNKNOWN_HOLDER;
            }
            try {
                verify.accept(PrincipalRecords.signingKey(holder.get().getPrincipal()));
                return VERIFIED;
            } catch (RuntimeException e) {
                return BAD_SIGNATURE;
            }
        }
    }
}
