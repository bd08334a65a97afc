package io.idstream.processors.directory;

import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;
import java.util.function.Function;

/**
 * Read-only questions to the verified directory: who is registered, in which role, with which keys, accredited or not.
 * The processors ask a task's view ({@link #ofTask}), which takes holders from the task's own partitioned state and
 * every other principal from the global store (docs/protocol.md section 10); the gateway asks one store that holds
 * every principal ({@link #ofAllRoles}).
 */
public final class DirectoryView {
    public static final String HOLDER = "holder";
    public static final String ISSUER = "issuer";
    public static final String CONSUMER = "consumer";

    private final Function<String, VerifiedPrincipal> entries;

    public DirectoryView(ReadOnlyKeyValueStore<String, VerifiedPrincipal> store) {
        this.entries = store::get;
    }

    private DirectoryView(Function<String, VerifiedPrincipal> entries) {
        this.entries = entries;
    }

    /**
     * The view of one {@link StoreNames#DIRECTORY} store that holds every principal, as the gateway loads it; not for
     * the processors, whose global store holds no holder ({@link #ofTask}).
     */
    public static DirectoryView ofAllRoles(ProcessorContext<?, ?> context) {
        KeyValueStore<String, VerifiedPrincipal> store = context.getStateStore(StoreNames.DIRECTORY);
        return new DirectoryView(store);
    }

    /**
     * The view of a processors task: a holder from the task's own {@link StoreNames#DIRECTORY_STATE}, where the
     * directory processor keeps the holders of the task's partition as it verifies them, and any other principal from
     * the global {@link StoreNames#DIRECTORY_GLOBAL} store alone, which the loader checked. A holder is only ever
     * asked for by the task that owns her partition, since every input is refused unless it is in its key's
     * partition.
     *
     * @param partitions the partition count principal ids are hashed over
     */
    public static DirectoryView ofTask(ProcessorContext<?, ?> context, int partitions) {
        KeyValueStore<String, VerifiedPrincipal> ownHolders = context.getStateStore(StoreNames.DIRECTORY_STATE);
        KeyValueStore<String, VerifiedPrincipal> others = context.getStateStore(StoreNames.DIRECTORY_GLOBAL);
        int ownPartition = context.taskId().partition();
        // One store read for a holder, on every request: the task's state holds the ids of its own partition only,
        // and the global store is not asked about a holder found there.
        return new DirectoryView(id -> {
            boolean ownId = HolderKeys.partitionOf(id, partitions) == ownPartition;
            VerifiedPrincipal own = ownId ? ownHolders.get(id) : null;
            return own != null && isHolder(own) ? own : entryOf(own, others.get(id), ownId);
        });
    }

    /**
     * The entry in force for one id: the task's own entry only if it is a holder's, the global one only if it is not;
     * an issuer's or consumer's entry in the task's state alone has not been through the loader's checks. An id of
     * the task's own partition was verified by this task, so its global entry is used only if the task's state holds
     * the same principal (role and signing key): a writer of the global directory could otherwise give a holder's id,
     * whose entry she cannot change, a twin in another role that the task would take for her.
     */
    static VerifiedPrincipal entryOf(VerifiedPrincipal own, VerifiedPrincipal global, boolean ownPartition) {
        if (own != null && isHolder(own)) {
            return own;
        }
        if (global == null || isHolder(global)) {
            return null;
        }
        if (ownPartition && (own == null || !own.getPrincipal().getRole().equals(global.getPrincipal().getRole())
                || !own.getPrincipal().getSigningKey().equals(global.getPrincipal().getSigningKey()))) {
            return null;
        }
        return global;
    }

    public static boolean isHolder(VerifiedPrincipal entry) {
        return HOLDER.equals(entry.getPrincipal().getRole());
    }

    public Optional<VerifiedPrincipal> find(String id) {
        return Optional.ofNullable(entries.apply(id));
    }

    /** The principal registered under {@code id} in {@code role}, or a rejection that says which is missing. */
    public Principal require(String id, String role, RejectReason whenMissing) {
        VerifiedPrincipal entry = entries.apply(id);
        if (entry == null) {
            throw new Rejection(whenMissing, role + " '" + id + "' is not registered");
        }
        if (!entry.getPrincipal().getRole().equals(role)) {
            throw new Rejection(RejectReason.WRONG_ROLE, "'" + id + "' is registered as "
                    + entry.getPrincipal().getRole() + ", not " + role);
        }
        return entry.getPrincipal();
    }

    /** The signing key of the principal registered under {@code id} in {@code role}, or the rejection of {@link #require}. */
    public byte[] signingKeyOf(String id, String role, RejectReason whenMissing) {
        return signingKey(require(id, role, whenMissing));
    }

    public byte[] signingKey(Principal principal) {
        return PrincipalRecords.signingKey(principal);
    }

    public byte[] encryptionKey(Principal principal) {
        return PrincipalRecords.encryptionKey(principal);
    }

    public boolean isAccredited(String id) {
        VerifiedPrincipal entry = entries.apply(id);
        return entry != null && entry.getAccreditation() != null;
    }
}
