package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Predicate;

/** What every participant's client does: hold its identity, and register it in the directory. */
public abstract class PrincipalClient extends ClusterClient {
    /** How long a client waits for the processors to take in what it wrote. */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    protected final Identity identity;

    protected PrincipalClient(Identity identity, Properties properties) {
        super(properties);
        this.identity = identity;
    }

    /** A client that reaches the platform other than through Kafka ({@link ClusterClient#ClusterClient()}). */
    protected PrincipalClient(Identity identity) {
        this.identity = identity;
    }

    public Identity identity() {
        return identity;
    }

    /** Registers this identity (self-signed) and waits until the processors have verified it. */
    public void register(String displayName) {
        Principal registration = registration(displayName);
        gateway.send(gateway.catalog().directory(), identity.id(), new DirectoryEvent(registration));
        directory.await(identity.id(), shows(registration), PROPAGATION_TIMEOUT,
                "registration of '" + identity.id() + "'");
    }

    /** This identity's self-signed registration, made now. */
    protected Principal registration(String displayName) {
        PrincipalStatement statement = new PrincipalStatement(identity.id(), identity.role(),
                identity.signing().publicKey(), identity.encryption().publicKey(), displayName,
                System.currentTimeMillis());
        return PrincipalRecords.registration(identity.signing(), statement);
    }

    /** Whether a directory entry shows the registration: its signing key, registered no earlier. */
    static Predicate<VerifiedPrincipal> shows(Principal registration) {
        return entry -> Arrays.equals(PrincipalRecords.signingKey(entry.getPrincipal()),
                PrincipalRecords.signingKey(registration))
                && entry.getPrincipal().getRegisteredAt() >= registration.getRegisteredAt();
    }
}
