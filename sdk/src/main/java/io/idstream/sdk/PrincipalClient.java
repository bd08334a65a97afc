package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Predicate;

/** What every participant's client does: hold its identity, and register it in the directory. */
public abstract class PrincipalClient extends ClusterClient {
    /** How long a client waits for the processors to take in what it wrote. */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

    /** This principal's identity: its new keys once a key rotation has bound them. */
    protected volatile Identity identity;

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

    /**
     * Rotates this principal's keys: new keys in {@code <keysDir>/<id>/next/} first; their registration, signed by
     * the old signing key, sent unless the directory binds them already; once it does, the new keys move into place
     * and this client uses them. Run again after a crash, it resumes from the step reached. An issuer's new key needs
     * a new accreditation (the rotation drops the old one; its earlier credentials stay verifiable under the key that
     * signed them); the grants sealed to a consumer's old key end, and it must ask again.
     */
    public Rotation rotate(Path keysDir) {
        Identity old = identity;
        Identity next = Identity.loadNext(keysDir, old.id()).orElseGet(() -> {
            Identity fresh = new Identity(old.id(), old.role(), SigningKeyPair.generate(),
                    EncryptionKeyPair.generate());
            fresh.saveNext(keysDir);
            return fresh;
        });
        VerifiedPrincipal entry = directory.fresh(old.id()).orElseThrow(() -> new IdstreamException("'" + old.id()
                + "' is not in the directory, so it has no keys to rotate"));
        if (!binds(entry, next)) {
            if (!binds(entry, old)) {
                throw new IdstreamException("the directory binds other keys to '" + old.id() + "' than those in "
                        + keysDir.resolve(old.id()) + " and its next/ directory: rotate from the keys it binds");
            }
            Principal inForce = entry.getPrincipal();
            PrincipalStatement statement = new PrincipalStatement(old.id(), old.role(), next.signing().publicKey(),
                    next.encryption().publicKey(), inForce.getDisplayName(),
                    Math.max(System.currentTimeMillis(), inForce.getRegisteredAt() + 1));
            directory.submit(new DirectoryEvent(PrincipalRecords.registration(old.signing(), statement)), old.id(),
                    bound -> binds(bound, next), PROPAGATION_TIMEOUT, "rotation of the keys of '" + old.id() + "'");
        }
        Identity.promoteNext(keysDir, old.id());
        identity = next;
        keysChanged();
        return new Rotation(0, 0);
    }

    /** Called once this client's identity holds new keys, for a client that keeps something made of the old ones. */
    protected void keysChanged() {
    }

    /** Whether the entry binds exactly these keys, signing and encryption, to the id. */
    static boolean binds(VerifiedPrincipal entry, Identity keys) {
        Principal principal = entry.getPrincipal();
        return principal.getId().equals(keys.id())
                && Arrays.equals(PrincipalRecords.signingKey(principal), keys.signing().publicKey())
                && Arrays.equals(PrincipalRecords.encryptionKey(principal), keys.encryption().publicKey());
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
