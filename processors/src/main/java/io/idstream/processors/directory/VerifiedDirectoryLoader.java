package io.idstream.processors.directory;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Decisions;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.StoreNames;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a verified directory into a global store (docs/protocol.md section 10), checking each entry again, because the
 * topic is only as safe as the ACLs that keep others from writing it: the processors load the issuers and consumers of
 * {@code directory.global} ({@link #withoutHolders}), refusing any holder's entry there, since a task takes its holders
 * from its own partitioned state; the gateway loads every principal of {@code directory.verified}. An entry is loaded
 * only if its key is its principal's id, its registration is signed by the key already bound to the id (or, for an id
 * not loaded yet, by its own key), and its accreditation, if any, is signed by a trusted operator key for that
 * principal's id, role and signing key, and newer than its withdrawal, if any, which is signed by a trusted operator
 * key too. An entry that would take back the accreditation or the withdrawal in force is refused, and so is one whose
 * accreditation is not newer than every one loaded for the id before (a key rotation drops an accreditation, and
 * rotating back must not bring it back), and one whose previous signing keys are not what the directory processor
 * keeps ({@link PreviousKeysCheck}). Anything else, a
 * tombstone included (the processors never delete a principal), is skipped, logged and counted; the entry already
 * loaded stays in force.
 */
public final class VerifiedDirectoryLoader implements Processor<String, VerifiedPrincipal, Void, Void> {
    public static final String REFUSED_METRIC = "directory-entries-refused-total";

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedDirectoryLoader.class);

    private final List<byte[]> operatorKeys;
    private final boolean holdersRefused;
    private final PreviousKeysCheck previousKeys = new PreviousKeysCheck(this::trusted);
    private KeyValueStore<String, VerifiedPrincipal> store;
    private ProcessorContext<Void, Void> context;
    private Sensor refused;

    /** A loader of every principal's entry, holders' included. */
    public VerifiedDirectoryLoader(List<byte[]> operatorKeys) {
        this(operatorKeys, false);
    }

    private VerifiedDirectoryLoader(List<byte[]> operatorKeys, boolean holdersRefused) {
        this.operatorKeys = operatorKeys;
        this.holdersRefused = holdersRefused;
    }

    /**
     * A loader that refuses every holder's entry: a writer of the global directory that put one there would otherwise
     * give every task a holder that no task verified (docs/protocol.md section 10).
     */
    public static VerifiedDirectoryLoader withoutHolders(List<byte[]> operatorKeys) {
        return new VerifiedDirectoryLoader(operatorKeys, true);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.DIRECTORY);
        this.refused = context.metrics().addSensor("idstream." + REFUSED_METRIC, Sensor.RecordingLevel.INFO);
        if (!refused.hasMetrics()) {
            refused.add(new MetricName(REFUSED_METRIC, "idstream-processors",
                    "Entries of the verified directory whose signatures do not verify, not loaded", Map.of()),
                    new CumulativeCount());
        }
    }

    @Override
    public void process(Record<String, VerifiedPrincipal> record) {
        String problem;
        try {
            problem = problemWith(record.key(), record.value());
        } catch (RuntimeException e) {
            problem = "it cannot be checked: " + e.getClass().getSimpleName();
        }
        if (problem != null) {
            refused.record();
            LOG.warn("Not loading an entry of the verified directory id={} because {} {}", record.key(), problem,
                    context.recordMetadata().map(m -> "topic=" + m.topic() + " partition=" + m.partition()
                            + " offset=" + m.offset()).orElse(""));
            return;
        }
        store.put(record.key(), record.value());
    }

    /** What is wrong with the entry, in words, or null when it verifies. */
    private String problemWith(String id, VerifiedPrincipal entry) {
        if (entry == null) {
            return "it is a tombstone, and the processors never delete a principal";
        }
        Principal principal = entry.getPrincipal();
        if (!principal.getId().equals(id)) {
            return "its key is not the principal's id";
        }
        if (holdersRefused && DirectoryView.isHolder(entry)) {
            return "it is a holder's, and holders are read from the partition of the task that owns them";
        }
        VerifiedPrincipal loaded = store.get(id);
        // The same registration again (republished with a new accreditation) was checked when it was loaded; a
        // rotated key's registration is signed by the key it replaces, not by its own.
        if (loaded == null || !loaded.getPrincipal().equals(principal)) {
            byte[] bound = loaded == null ? null : PrincipalRecords.signingKey(loaded.getPrincipal());
            try {
                Decisions.verifyPrincipal(bound, PrincipalRecords.statement(principal),
                        AvroBytes.of(principal.getSignature()));
            } catch (RuntimeException e) {
                return bound == null ? "its registration is not signed by its own key"
                        : "its registration is not signed by the key bound to the id";
            }
        }
        Accreditation accreditation = entry.getAccreditation();
        // Entries the processors published earlier carry genuine signatures too: only their age tells a replay, which
        // would take back a later registration or accreditation.
        if (loaded != null && principal.getRegisteredAt() < loaded.getPrincipal().getRegisteredAt()) {
            return "its registration is older than the one in force";
        }
        AccreditationWithdrawn withdrawal = entry.getWithdrawal();
        String withdrawalProblem = withdrawalProblem(id, principal, withdrawal, loaded);
        if (withdrawalProblem != null) {
            return withdrawalProblem;
        }
        String previousKeysProblem = previousKeys.problem(id, principal, entry.getPreviousKeys(), loaded);
        if (previousKeysProblem != null) {
            return previousKeysProblem;
        }
        Accreditation inForce = loaded == null ? null : loaded.getAccreditation();
        boolean withdrawsInForce = inForce != null && withdrawal != null
                && withdrawal.getWithdrawnAt() > inForce.getAccreditedAt();
        if (inForce != null && loaded.getPrincipal().equals(principal) && !withdrawsInForce
                && (accreditation == null || accreditation.getAccreditedAt() < inForce.getAccreditedAt())) {
            return "it would take back the accreditation in force";
        }
        long loadedLatest = loaded == null ? 0 : DirectoryProcessor.latestAccreditedAt(loaded);
        if (DirectoryProcessor.latestAccreditedAt(entry) < loadedLatest) {
            return "it would take back the newest accreditation accepted for the id";
        }
        if (accreditation != null && loaded != null && !accreditation.equals(loaded.getAccreditation())
                && accreditation.getAccreditedAt() <= loadedLatest) {
            return "its accreditation is not newer than the newest one accepted for the id";
        }
        if (accreditation == null) {
            return null;
        }
        if (withdrawal != null && accreditation.getAccreditedAt() <= withdrawal.getWithdrawnAt()) {
            return "its accreditation is not newer than its withdrawal";
        }
        if (!trusted(accreditation.getOperatorKey())) {
            return "its accreditation is signed by an operator key the processors do not trust";
        }
        byte[] operatorKey = AvroBytes.of(accreditation.getOperatorKey());
        try {
            Decisions.verifyAccreditation(operatorKey, PrincipalRecords.statement(accreditation),
                    AvroBytes.of(accreditation.getSignature()));
        } catch (RuntimeException e) {
            return "its accreditation's signature does not verify";
        }
        if (!accreditation.getId().equals(id) || !accreditation.getRole().equals(principal.getRole())
                || !AvroBytes.equal(accreditation.getSigningKey(), principal.getSigningKey())) {
            return "its accreditation is for another id, role or signing key";
        }
        return null;
    }

    /**
     * What is wrong with the entry's withdrawal, or null: it must be signed by a trusted operator key for the
     * principal's id and role (a later key rotation keeps it), and must not be older than the withdrawal loaded, which
     * an earlier entry sent again would otherwise take back, bringing the withdrawn accreditation with it.
     */
    private String withdrawalProblem(String id, Principal principal, AccreditationWithdrawn withdrawal,
                                     VerifiedPrincipal loaded) {
        AccreditationWithdrawn loadedWithdrawal = loaded == null ? null : loaded.getWithdrawal();
        if (loadedWithdrawal != null && (withdrawal == null
                || withdrawal.getWithdrawnAt() < loadedWithdrawal.getWithdrawnAt())) {
            return "it would take back the withdrawal of the accreditation in force";
        }
        if (withdrawal == null) {
            return null;
        }
        if (!trusted(withdrawal.getOperatorKey())) {
            return "its withdrawal is signed by an operator key the processors do not trust";
        }
        try {
            Decisions.verifyWithdrawal(AvroBytes.of(withdrawal.getOperatorKey()),
                    PrincipalRecords.statement(withdrawal), AvroBytes.of(withdrawal.getSignature()));
        } catch (RuntimeException e) {
            return "its withdrawal's signature does not verify";
        }
        if (!withdrawal.getId().equals(id) || !withdrawal.getRole().equals(principal.getRole())) {
            return "its withdrawal is for another id or role";
        }
        return null;
    }

    private boolean trusted(ByteBuffer operatorKey) {
        byte[] key = AvroBytes.of(operatorKey);
        return operatorKeys.stream().anyMatch(trusted -> Arrays.equals(trusted, key));
    }
}
