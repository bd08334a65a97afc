package io.idstream.processors.access;

import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.processors.directory.DirectoryView;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The end of grants and parked requests, however it comes (the holder's revocation or erasure, the issuer's
 * revocation, expiry, a change of the holder's or the consumer's key): each affected consumer is told why, and each
 * ended grant is audited with the outcome.
 */
final class GrantEndings {
    private final HolderState state;
    private final AccessOutbox outbox;
    private final DirectoryView directory;

    GrantEndings(HolderState state, AccessOutbox outbox, DirectoryView directory) {
        this.state = state;
        this.outbox = outbox;
        this.directory = directory;
    }

    /**
     * Whether the holder's signing key or the consumer's encryption key bound now is another than the one bound when
     * the grant was accepted (docs/protocol.md section 11): the consumer could not verify the holder's signature on
     * it, or open field keys sealed to the key it had. A grant kept before the keys were (empty bytes) has changed
     * holder's key when the key bound now does not verify its signature; its consumer's key, which nothing tells, is
     * taken as unchanged until a task start gives it the key bound then ({@link EarlierGrantKeys}).
     */
    boolean keysChanged(GrantState grant) {
        boolean holderKeyChanged = grant.getHolderSigningKey().hasRemaining()
                ? changed(grant.getHolderSigningKey(), grant.getGrant().getHolderId(), directory::signingKey)
                : !signedByTheHoldersKeyNow(grant.getGrant());
        return holderKeyChanged || changed(grant.getConsumerEncryptionKey(), grant.getGrant().getConsumerId(),
                directory::encryptionKey);
    }

    private boolean signedByTheHoldersKeyNow(Grant grant) {
        return directory.find(grant.getHolderId())
                .map(holder -> EarlierGrantKeys.signedBy(directory.signingKey(holder.getPrincipal()), grant))
                .orElse(false);
    }

    private boolean changed(ByteBuffer kept, String principalId,
                            Function<Principal, byte[]> boundKey) {
        if (!kept.hasRemaining()) {
            return false;
        }
        Optional<VerifiedPrincipal> entry = directory.find(principalId);
        return entry.isEmpty() || !ByteBuffer.wrap(boundKey.apply(entry.get().getPrincipal())).equals(kept);
    }

    /**
     * Ends a grant whose keys changed, before it is used: the consumer hears KEY_CHANGED (the processors' word, with
     * no statement), the holder GRANT_KEY_CHANGED, and the end is audited.
     */
    void keyChanged(KeyValue<String, GrantState> entry, long timestamp) {
        state.removeGrant(entry);
        Grant grant = entry.value.getGrant();
        String reason = "the holder's signing key or the consumer's encryption key changed since the grant was given";
        outbox.toConsumer(NoticeKind.KEY_CHANGED, AccessSubject.ofGrant(grant).withoutRequest(), reason, timestamp);
        outbox.toHolder(HolderNoticeKind.GRANT_KEY_CHANGED, AccessSubject.ofGrant(grant).withoutRequest(), reason,
                timestamp);
        outbox.audit(AuditOutcome.KEY_CHANGED, AccessSubject.ofGrant(grant), timestamp);
    }

    /** Ends every grant of the holder whose keys changed; returns how many ended. */
    int endKeyChangedGrantsOf(String holderId, long timestamp) {
        List<KeyValue<String, GrantState>> changed = state.grantsOf(holderId, this::keysChanged);
        changed.forEach(entry -> keyChanged(entry, timestamp));
        return changed.size();
    }

    /**
     * Tells the consumer of a grant, already removed from the state, that it ended, and audits the end;
     * {@code statement} is the signed record that ended it, null for an expiry.
     */
    void ended(Grant grant, NoticeKind kind, AuditOutcome outcome, String reason, SpecificRecord statement,
               long timestamp) {
        outbox.toConsumer(kind, AccessSubject.ofGrant(grant).withoutRequest(), reason, statement, timestamp);
        outbox.audit(outcome, AccessSubject.ofGrant(grant), timestamp);
    }

    /**
     * Ends every grant on the credential and drops every request parked on it, telling each consumer, with the
     * signed record ({@code statement}: the holder's erasure, the issuer's revocation) that ended them.
     */
    void endEverythingOn(String holderId, String credentialId, NoticeKind kind, AuditOutcome outcome, String reason,
                         SpecificRecord statement, long timestamp) {
        for (Grant grant : state.removeGrantsOn(holderId, credentialId)) {
            ended(grant, kind, outcome, reason, statement, timestamp);
        }
        for (PendingRequest dropped : state.unparkAllOn(holderId, credentialId)) {
            outbox.toConsumer(kind, AccessSubject.ofRequest(dropped.getRequest(), credentialId), reason, statement,
                    timestamp);
        }
    }
}
