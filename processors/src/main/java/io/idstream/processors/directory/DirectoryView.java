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

/** Read-only questions to the verified directory: who is registered, in which role, with which keys, accredited or not. */
public final class DirectoryView {
    public static final String HOLDER = "holder";
    public static final String ISSUER = "issuer";
    public static final String CONSUMER = "consumer";

    private final ReadOnlyKeyValueStore<String, VerifiedPrincipal> store;

    public DirectoryView(ReadOnlyKeyValueStore<String, VerifiedPrincipal> store) {
        this.store = store;
    }

    /** The view of the global {@link StoreNames#DIRECTORY} store, as a processor of the topology sees it. */
    public static DirectoryView of(ProcessorContext<?, ?> context) {
        KeyValueStore<String, VerifiedPrincipal> store = context.getStateStore(StoreNames.DIRECTORY);
        return new DirectoryView(store);
    }

    public Optional<VerifiedPrincipal> find(String id) {
        return Optional.ofNullable(store.get(id));
    }

    /** The principal registered under {@code id} in {@code role}, or a rejection that says which is missing. */
    public Principal require(String id, String role, RejectReason whenMissing) {
        VerifiedPrincipal entry = store.get(id);
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
        VerifiedPrincipal entry = store.get(id);
        return entry != null && entry.getAccreditation() != null;
    }
}
