package io.idstream.processors.directory;

import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.StoreNames;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;
import java.util.function.Function;

/**
 * Read-only questions to the verified directory: who is registered, in which role, with which keys, accredited or not.
 * The processors ask a task's view ({@link #ofTask}), which takes holders from the task's own partitioned state and
 * every other principal from the global store (docs/protocol.md section 10); the gateway asks one store that holds
 * every principal ({@link #of}).
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

    /** The view of one {@link StoreNames#DIRECTORY} store that holds every principal, as the gateway loads it. */
    public static DirectoryView of(ProcessorContext<?, ?> context) {
        KeyValueStore<String, VerifiedPrincipal> store = context.getStateStore(StoreNames.DIRECTORY);
        return new DirectoryView(store);
    }

    /**
     * The view of a processors task: a holder from the task's own {@link StoreNames#DIRECTORY_STATE}, where the
     * directory processor keeps the holders of the task's partition as it verifies them, and any other principal from
     * the global {@link StoreNames#DIRECTORY} store alone, which the loader checked. A holder is only ever asked for
     * by the task that owns her partition, since every input is refused unless it is in its key's partition.
     */
    public static DirectoryView ofTask(ProcessorContext<?, ?> context) {
        KeyValueStore<String, VerifiedPrincipal> ownHolders = context.getStateStore(StoreNames.DIRECTORY_STATE);
        KeyValueStore<String, VerifiedPrincipal> others = context.getStateStore(StoreNames.DIRECTORY);
        return new DirectoryView(id -> entryOf(ownHolders.get(id), others.get(id)));
    }

    /**
     * The entry in force for one id: the task's own entry only if it is a holder's, the global one only if it is not;
     * an issuer's or consumer's entry in the task's state alone has not been through the loader's checks.
     */
    static VerifiedPrincipal entryOf(VerifiedPrincipal own, VerifiedPrincipal global) {
        if (own != null && isHolder(own)) {
            return own;
        }
        return global != null && !isHolder(global) ? global : null;
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
