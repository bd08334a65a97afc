package io.idstream.processors.directory;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import io.idstream.processors.StoreNames;
import io.idstream.processors.UnionRouter;
import io.idstream.topics.ReservedPrincipalIds;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireKey;

/**
 * Verifies the raw directory (docs/protocol.md section 7) and publishes what verifies to the verified directory. A new
 * id is bound to the signing key of its first valid self-signed registration; a later registration of it counts only
 * when signed by the bound key. An accreditation counts only when signed by an operator key the processors trust, for
 * the principal's current signing key, and later than any withdrawal and than every accreditation accepted for the id
 * before, one a key rotation dropped included; a withdrawal, signed the same way, takes the accreditation away, or,
 * when a rotation dropped it, keeps it from coming back. A rotation keeps the replaced key among the entry's previous
 * keys. A consumer's first registration creates its delivery topic, an issuer's its notice topic.
 *
 * <p>Every verified entry goes to the verified directory, which participants read. The processors themselves read a
 * holder's entry from this task's {@link StoreNames#DIRECTORY_STATE}, where the holder's other records are processed
 * too, and every other principal's from the global store, so an issuer's or a consumer's entry goes to the global
 * directory as well (docs/protocol.md section 10). Once per task, after it starts, the issuers' and consumers' entries
 * already in this task's state are sent to the global directory again, for a deployment verified before it existed.
 */
public final class DirectoryProcessor extends GuardedProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryProcessor.class);
    /** Most previous signing keys an entry keeps (docs/protocol.md section 10). */
    public static final int MAX_PREVIOUS_KEYS = 16;
    private static final Set<String> ROLES = Set.of(DirectoryView.HOLDER, DirectoryView.ISSUER, DirectoryView.CONSUMER);

    private final Deserializer<DirectoryEvent> deserializer;
    private final List<byte[]> operatorKeys;
    private final PrincipalTopics deliveryTopics;
    private final PrincipalTopics issuerNoticeTopics;
    private final UnionRouter events = new UnionRouter("directory event")
            .on(Principal.class, this::register)
            .on(Accreditation.class, this::accredit)
            .on(AccreditationWithdrawn.class, this::withdraw);
    private KeyValueStore<String, VerifiedPrincipal> store;

    /** @param partitions the directory's partition count, which principal ids are hashed over */
    public DirectoryProcessor(Deserializer<DirectoryEvent> deserializer, List<byte[]> operatorKeys,
                              PrincipalTopics deliveryTopics, PrincipalTopics issuerNoticeTopics, int partitions) {
        super(Sinks.DIRECTORY_REJECTED, partitions);
        this.deserializer = deserializer;
        this.operatorKeys = operatorKeys;
        this.deliveryTopics = deliveryTopics;
        this.issuerNoticeTopics = issuerNoticeTopics;
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context) {
        this.store = context.getStateStore(StoreNames.DIRECTORY_STATE);
        GlobalDirectoryRepublish.scheduleOnce(context, store);
    }

    @Override
    protected void handle(Record<Object, Object> record) {
        DirectoryEvent event = decode(deserializer, sourceTopic(), (byte[]) record.value());
        events.route(keyOf(record), event.getEvent(), record.timestamp());
    }

    private void register(String key, Principal principal, long timestamp) {
        String id = principal.getId();
        requireKey(key, id, "principal id");
        checkShape(() -> Identifiers.requirePrincipalId("principal id", id));
        // An id is also a Kafka user and a group prefix: the platform's own names are not for taking
        // (docs/protocol.md section 1).
        ReservedPrincipalIds.refusal(id).ifPresent(reason -> {
            throw new Rejection(RejectReason.MALFORMED, reason);
        });
        if (!ROLES.contains(principal.getRole())) {
            throw new Rejection(RejectReason.MALFORMED, "role '" + principal.getRole() + "' is not one of " + ROLES);
        }
        PrincipalStatement statement = PrincipalRecords.statement(principal);
        byte[] signingKey = statement.signingKey();
        if (signingKey.length != 32 || statement.encryptionKey().length != 32) {
            throw new Rejection(RejectReason.MALFORMED, "public keys are 32 bytes each");
        }
        byte[] signature = AvroBytes.of(principal.getSignature());
        VerifiedPrincipal existing = store.get(id);
        if (existing == null) {
            checkSignature(() -> Decisions.verifyPrincipal(null, statement, signature));
        } else {
            byte[] bound = PrincipalRecords.signingKey(existing.getPrincipal());
            try {
                Decisions.verifyPrincipal(bound, statement, signature);
            } catch (CryptoException e) {
                throw new Rejection(RejectReason.ID_TAKEN, "id '" + id
                        + "' is bound to another signing key; a new registration must be signed by it");
            }
            if (!existing.getPrincipal().getRole().equals(principal.getRole())) {
                throw new Rejection(RejectReason.WRONG_ROLE, "'" + id + "' is registered as "
                        + existing.getPrincipal().getRole() + " and cannot become " + principal.getRole());
            }
            if (principal.getRegisteredAt() <= existing.getPrincipal().getRegisteredAt()) {
                throw new Rejection(RejectReason.REPLAY, "registration of '" + id
                        + "' is not newer than the one in force");
            }
        }
        Accreditation accreditation = existing == null ? null : existing.getAccreditation();
        if (accreditation != null && !Arrays.equals(AvroBytes.of(accreditation.getSigningKey()), signingKey)) {
            // The accreditation vouched for the old key; a new key needs a new accreditation.
            accreditation = null;
        }
        if (existing == null && principal.getRole().equals(DirectoryView.CONSUMER)) {
            deliveryTopics.ensure(id);
        }
        if (existing == null && principal.getRole().equals(DirectoryView.ISSUER)) {
            issuerNoticeTopics.ensure(id);
        }
        AccreditationWithdrawn withdrawal = existing == null ? null : existing.getWithdrawal();
        // Kept when the rotation drops the accreditation: rotating back must not let the dropped one be sent again.
        long latestAccreditedAt = existing == null ? 0 : latestAccreditedAt(existing);
        publish(id, new VerifiedPrincipal(principal, accreditation, context.currentSystemTimeMs(), withdrawal,
                latestAccreditedAt, previousKeys(existing, principal)), timestamp);
        LOG.info("Directory registration accepted id={} role={}", id, principal.getRole());
    }

    private void accredit(String key, Accreditation accreditation, long timestamp) {
        String id = accreditation.getId();
        requireKey(key, id, "principal id");
        byte[] operatorKey = requireTrusted(AvroBytes.of(accreditation.getOperatorKey()), "accreditation", id);
        AccreditationStatement statement = PrincipalRecords.statement(accreditation);
        checkSignature(() -> Decisions.verifyAccreditation(operatorKey, statement,
                AvroBytes.of(accreditation.getSignature())));
        VerifiedPrincipal existing = requireSubject(id, accreditation.getRole(), accreditation.getSigningKey(),
                "accreditation");
        if (accreditation.getAccreditedAt() <= latestAccreditedAt(existing)) {
            throw new Rejection(RejectReason.REPLAY, "accreditation of '" + id
                    + "' is not newer than the newest accreditation accepted for it");
        }
        // A withdrawn accreditation sent again must not undo its withdrawal: only a newer one accredits again.
        if (existing.getWithdrawal() != null
                && accreditation.getAccreditedAt() <= existing.getWithdrawal().getWithdrawnAt()) {
            throw new Rejection(RejectReason.REPLAY, "accreditation of '" + id
                    + "' is not newer than the withdrawal of its accreditation");
        }
        publish(id, new VerifiedPrincipal(existing.getPrincipal(), accreditation, context.currentSystemTimeMs(),
                existing.getWithdrawal(), accreditation.getAccreditedAt(), existing.getPreviousKeys()), timestamp);
        LOG.info("Directory accreditation accepted id={} role={}", id, accreditation.getRole());
    }

    private void withdraw(String key, AccreditationWithdrawn withdrawal, long timestamp) {
        String id = withdrawal.getId();
        requireKey(key, id, "principal id");
        byte[] operatorKey = requireTrusted(AvroBytes.of(withdrawal.getOperatorKey()), "withdrawal", id);
        WithdrawalStatement statement = PrincipalRecords.statement(withdrawal);
        checkSignature(() -> Decisions.verifyWithdrawal(operatorKey, statement,
                AvroBytes.of(withdrawal.getSignature())));
        VerifiedPrincipal existing = requireSubject(id, withdrawal.getRole(), withdrawal.getSigningKey(),
                "withdrawal");
        Accreditation inForce = existing.getAccreditation();
        long latestAccreditedAt = latestAccreditedAt(existing);
        if (inForce == null) {
            // A key rotation dropped the accreditation: withdrawing it keeps the issuer from rotating back and sending
            // it again (docs/protocol.md section 7).
            if (latestAccreditedAt == 0) {
                throw new Rejection(RejectReason.NOT_ACCREDITED, "'" + id + "' has no accreditation to withdraw");
            }
            if (existing.getWithdrawal() != null && existing.getWithdrawal().getWithdrawnAt() > latestAccreditedAt) {
                throw new Rejection(RejectReason.NOT_ACCREDITED, "the accreditation of '" + id
                        + "' is already withdrawn");
            }
        }
        if (withdrawal.getWithdrawnAt() <= latestAccreditedAt) {
            throw new Rejection(RejectReason.REPLAY, "withdrawal of the accreditation of '" + id
                    + "' is not newer than the newest accreditation accepted for it");
        }
        publish(id, new VerifiedPrincipal(existing.getPrincipal(), null, context.currentSystemTimeMs(), withdrawal,
                latestAccreditedAt, existing.getPreviousKeys()), timestamp);
        LOG.info("Directory accreditation withdrawn id={} role={}", id, withdrawal.getRole());
    }

    /**
     * The entry's previous signing keys, with the key it is bound to now appended when {@code registration} replaces
     * it (docs/protocol.md section 10): the old key, when it was registered and replaced, and the accreditation it had,
     * so that what it signed before stays verifiable. At most {@value #MAX_PREVIOUS_KEYS} are kept, the oldest
     * dropped.
     */
    static List<PreviousKey> previousKeys(VerifiedPrincipal existing, Principal registration) {
        if (existing == null) {
            return List.of();
        }
        Principal replaced = existing.getPrincipal();
        if (AvroBytes.equal(replaced.getSigningKey(), registration.getSigningKey())) {
            return existing.getPreviousKeys();
        }
        List<PreviousKey> kept = new ArrayList<>(existing.getPreviousKeys());
        kept.add(new PreviousKey(replaced.getSigningKey(), replaced.getRegisteredAt(),
                registration.getRegisteredAt(), existing.getAccreditation()));
        return List.copyOf(kept.subList(Math.max(0, kept.size() - MAX_PREVIOUS_KEYS), kept.size()));
    }

    /**
     * The greatest {@code accreditedAt} of every accreditation accepted for the entry's id, or 0; an entry written
     * before the field existed holds 0, and counts its accreditation in force.
     */
    static long latestAccreditedAt(VerifiedPrincipal entry) {
        Accreditation inForce = entry.getAccreditation();
        return Math.max(entry.getLatestAccreditedAt(), inForce == null ? 0 : inForce.getAccreditedAt());
    }

    /** The operator key that signed an accreditation or withdrawal, if the processors trust it. */
    private byte[] requireTrusted(byte[] operatorKey, String what, String id) {
        if (operatorKeys.stream().noneMatch(trusted -> Arrays.equals(trusted, operatorKey))) {
            throw new Rejection(RejectReason.NOT_ACCREDITED, what + " of '" + id
                    + "' is signed by an operator key the processors do not trust");
        }
        return operatorKey;
    }

    /**
     * The entry of the principal an accreditation or withdrawal names, which must be registered in that role with
     * that signing key: the operator vouches for a key, not a name.
     */
    private VerifiedPrincipal requireSubject(String id, String role, ByteBuffer signingKey, String what) {
        VerifiedPrincipal existing = store.get(id);
        if (existing == null) {
            throw new Rejection(RejectReason.UNKNOWN_PRINCIPAL, "'" + id + "' is not registered");
        }
        Principal principal = existing.getPrincipal();
        if (!principal.getRole().equals(role)) {
            throw new Rejection(RejectReason.WRONG_ROLE, "'" + id + "' is registered as " + principal.getRole()
                    + ", the " + what + " is for " + role);
        }
        if (!AvroBytes.equal(principal.getSigningKey(), signingKey)) {
            throw new Rejection(RejectReason.MALFORMED, "the " + what + " of '" + id
                    + "' is for another signing key than the one registered");
        }
        return existing;
    }

    private void publish(String id, VerifiedPrincipal entry, long timestamp) {
        store.put(id, entry);
        context.forward(new Record<>(id, entry, timestamp), Sinks.DIRECTORY_VERIFIED);
        if (!DirectoryView.isHolder(entry)) {
            context.forward(new Record<>(id, entry, timestamp), Sinks.DIRECTORY_GLOBAL);
        }
    }
}
