package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

/** What every participant's client does: hold its identity, and register it in the directory. */
public abstract class PrincipalClient extends ClusterClient {
    /** How long a client waits for the processors to take in what it wrote. */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    protected final Identity identity;

    protected PrincipalClient(Identity identity, Properties properties) {
        super(properties);
        this.identity = identity;
    }

    public Identity identity() {
        return identity;
    }

    /** Registers this identity (self-signed) and waits until the processors have verified it. */
    public void register(String displayName) {
        long now = System.currentTimeMillis();
        PrincipalStatement statement = new PrincipalStatement(identity.id(), identity.role(),
                identity.signing().publicKey(), identity.encryption().publicKey(), displayName, now);
        gateway.send(gateway.catalog().directory(), identity.id(),
                new DirectoryEvent(PrincipalRecords.registration(identity.signing(), statement)));
        directory.await(identity.id(), entry -> Arrays.equals(
                PrincipalRecords.signingKey(entry.getPrincipal()), identity.signing().publicKey())
                        && entry.getPrincipal().getRegisteredAt() >= now,
                PROPAGATION_TIMEOUT, "registration of '" + identity.id() + "'");
    }
}
