package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.Statements.PrincipalStatement;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

/** What every participant's client does: hold its identity, and register it in the directory. */
public abstract class PrincipalClient implements AutoCloseable {
    /** How long a client waits for the processors to take in what it wrote. */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    protected final Identity identity;
    protected final KafkaGateway gateway;
    protected final DirectoryClient directory;

    protected PrincipalClient(Identity identity, Properties properties) {
        this.identity = identity;
        this.gateway = new KafkaGateway(properties);
        this.directory = new DirectoryClient(gateway);
    }

    public Identity identity() {
        return identity;
    }

    public DirectoryClient directory() {
        return directory;
    }

    /** Registers this identity (self-signed) and waits until the processors have verified it. */
    public void register(String displayName) {
        long now = System.currentTimeMillis();
        PrincipalStatement statement = new PrincipalStatement(identity.id(), identity.role(),
                identity.signing().publicKey(), identity.encryption().publicKey(), displayName, now);
        Principal principal = new Principal(identity.id(), identity.role(),
                ByteBuffer.wrap(identity.signing().publicKey()), ByteBuffer.wrap(identity.encryption().publicKey()),
                displayName, now, ByteBuffer.wrap(Decisions.signPrincipal(identity.signing(), statement)));
        gateway.send(gateway.catalog().directory(), identity.id(), new DirectoryEvent(principal));
        directory.await(identity.id(), entry -> Arrays.equals(
                io.idstream.sdk.AvroValues.bytes(entry.getPrincipal().getSigningKey()), identity.signing().publicKey())
                        && entry.getPrincipal().getRegisteredAt() >= now,
                PROPAGATION_TIMEOUT, "registration of '" + identity.id() + "'");
    }

    @Override
    public void close() {
        gateway.close();
    }
}
