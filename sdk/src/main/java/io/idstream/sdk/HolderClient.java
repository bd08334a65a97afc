package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.PrincipalRecords;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A holder's client: reads the inbox of pending requests, approves with a scope (fields, time window, uses) or
 * denies, revokes grants, erases credentials, and reads the vault and the audit trail; allows issuers to write to
 * the vault, rotates, backs up and recovers its keys, and exports what the platform holds on it. Approving unwraps
 * the credential key locally and wraps only the granted fields' keys to the consumer; no key leaves this process.
 * <p>
 * It reaches the platform only through the holder gateway, over signed HTTP requests, and holds no Kafka credentials.
 * The gateway is not trusted with keys: a consumer's or issuer's entry it serves counts only with an accreditation
 * that a pinned operator key signed and the principal's own registration signature, so a request from a consumer
 * without one is shown as not accredited, and approving it (or any grant to that consumer) is refused, since no field
 * key is wrapped to a key that nothing this holder trusts has bound to the consumer; a credential opens only from an
 * issuer checked so.
 */
public final class HolderClient extends PrincipalClient {
    private final HolderSource source;
    private final HolderChecks checks;
    private final HolderConsent consent;

    /**
     * A holder on the holder gateway: every call a signed request to {@code connection}, every answer checked here;
     * {@code trust} holds the operator keys this holder pins ({@link ConsumerTrust#forHolder}).
     */
    public HolderClient(Identity identity, GatewayConnection connection, ConsumerTrust trust) {
        super(identity);
        this.source = new GatewayHolderSource(identity, connection);
        this.checks = new HolderChecks(identity.id(), source, trust);
        this.consent = new HolderConsent(() -> this.identity, source, checks);
    }

    /** What the holder allows: the fields (null: those asked for), how long (null: no end), how many uses (0: any). */
    public record Scope(List<String> fields, Duration validFor, int maxUses) {
    }

    /** Registers this holder (self-signed) and waits until the directory shows it. */
    @Override
    public void register(String displayName) {
        source.register(registration(displayName), PROPAGATION_TIMEOUT);
    }

    /**
     * Requests still waiting for this holder's decision, oldest first. Each shows its consumer's display name and
     * accreditation as its checked directory entry holds them, and the resolved credential's type and issuer as the
     * vault holds them, never the inbox record's copies; a request that is not addressed to this holder, whose
     * consumer the directory does not hold, or whose signature does not verify with that consumer's key, is left out
     * and reported ({@link #skippedRecords()}; docs/protocol.md section 12).
     */
    public List<PendingRequest> inbox() {
        return inbox(this::audit);
    }

    /** {@link #inbox()}, given the audit trail just read with {@link #audit()} (so a caller reads it once). */
    public List<PendingRequest> inbox(List<AccessAudit> trail) {
        return inbox(() -> trail);
    }

    private List<PendingRequest> inbox(Supplier<List<AccessAudit>> trail) {
        return checks.inbox(trail);
    }

    /**
     * Allows an issuer to write credentials of {@code credentialTypes} to this holder's vault for {@code validFor}
     * (a write grant, docs/protocol.md section 6a), answering the consent request {@code consentRequestId} (null:
     * unasked); refused for an issuer that no operator key this holder pins accredits. Returns the write grant's id.
     */
    public String allowIssuer(String issuerId, List<String> credentialTypes, Duration validFor,
                              String consentRequestId) {
        return consent.allowIssuer(issuerId, credentialTypes, validFor, consentRequestId);
    }

    /** Ends a write grant: its issuer can write no more credentials under it. */
    public void disallowIssuer(String writeGrantId) {
        consent.disallowIssuer(writeGrantId);
    }

    /** Ends every write grant in force of {@code issuerId}; returns how many. */
    public int disallowIssuerAll(String issuerId) {
        return consent.disallowIssuerAll(issuerId);
    }

    /** The write grants in force, each with this holder's signature under its key bound now; others reported. */
    public List<WriteGrant> writeGrants() {
        return consent.writeGrants();
    }

    /**
     * The issuers' consent requests waiting for this holder: each addressed to it, from an issuer an operator key it
     * pins accredits, with that issuer's valid signature; others left out and reported ({@link #skippedRecords()}).
     */
    public List<ConsentRequest> consentRequests() {
        return consent.consentRequests();
    }

    /**
     * Rotates this holder's keys ({@link HolderRotation}), re-sealing every credential to the new encryption key;
     * run again after a crash, it resumes from the step reached. The grants the old key signed end.
     */
    @Override
    public Rotation rotate(Path keysDir) {
        return rotate(keysDir, null);
    }

    /**
     * {@link #rotate(Path)}; when {@code backupPassphrase} is not null, a backup of the new keys under it replaces the
     * platform's before they move into place, since one of the replaced keys stays fetchable ({@link #hasBackup}).
     */
    public Rotation rotate(Path keysDir, char[] backupPassphrase) {
        return new HolderRotation(identity, keysDir, source, PROPAGATION_TIMEOUT, backupPassphrase)
                .run(next -> identity = next);
    }

    /** Seals this holder's keys under {@code passphrase} (12 characters at least) and keeps them on the platform. */
    public void backup(char[] passphrase) {
        source.storeBackup(HolderBackups.seal(identity, passphrase));
    }

    /** Whether the platform keeps a backup of this holder's keys (as its export says, a signed read). */
    public boolean hasBackup() {
        return source.export().path("backup").isObject();
    }

    /** Seals this holder's keys under {@code passphrase} into {@code file} (armoured, mode 600; a new file). */
    public void backupToFile(char[] passphrase, Path file) {
        HolderBackups.toFile(identity, passphrase, file);
    }

    /**
     * Restores {@code id}'s keys into {@code keysDir} from the backup the platform keeps, fetched over
     * {@code connection} (one made without keys will do); refuses existing keys, a wrong passphrase, and keys the
     * directory no longer binds to the id. A holder's own entry needs no accreditation: {@code trust} is not used.
     */
    public static Identity recover(Path keysDir, String id, char[] passphrase, GatewayConnection connection,
                                   ConsumerTrust trust) {
        return HolderBackups.recover(keysDir, id, passphrase, connection);
    }

    /** {@link #recover}, from a backup file that {@link #backupToFile} wrote. */
    public static Identity recoverFromFile(Path keysDir, String id, char[] passphrase, Path file,
                                           GatewayConnection connection, ConsumerTrust trust) {
        return HolderBackups.recoverFromFile(keysDir, id, passphrase, file, connection);
    }

    /** All the platform holds on this holder, each credential opened here: plaintext, for her own file only. */
    public HolderExport export() {
        return HolderExportReader.read(source.export(), identity, checks, source);
    }

    /** Approves a pending request with a scope; returns the new grant's id. */
    public String approve(String requestId, Scope scope) {
        PendingRequest pending = inbox().stream().filter(p -> p.getRequest().getRequestId().equals(requestId))
                .findFirst().orElseThrow(() -> new IdstreamException("request " + requestId
                        + " is not pending for '" + identity.id() + "'"));
        if (pending.getCredentialId().isEmpty()) {
            throw new IdstreamException("request " + requestId + " matches none of your credentials");
        }
        List<String> fields = scope.fields() == null ? pending.getRequest().getFields() : scope.fields();
        return grant(pending.getRequest().getConsumerId(), pending.getCredentialId(), requestId,
                pending.getRequest().getPurpose(), fields, scope);
    }

    /** A standing grant, made without a request: the consumer's matching requests are answered at once. */
    public String grant(String consumerId, String credentialId, String purpose, Scope scope) {
        return grant(consumerId, credentialId, "", purpose, scope.fields(), scope);
    }

    private String grant(String consumerId, String credentialId, String requestId, String purpose,
                         List<String> fields, Scope scope) {
        VerifiedPrincipal consumer;
        try {
            consumer = checks.trusted(consumerId, "consumer");
        } catch (IdstreamException e) {
            throw new IdstreamException("no grant to '" + consumerId + "': " + e.getMessage(), e);
        }
        Grant grant = HolderGrants.sign(identity, credential(credentialId).getCredential(), consumerId,
                PrincipalRecords.encryptionKey(consumer.getPrincipal()), requestId, purpose, fields, scope,
                System.currentTimeMillis());
        source.decide(new DecisionEvent(grant));
        return grant.getGrantId();
    }

    public void deny(String requestId) {
        source.decide(new DecisionEvent(DecisionRecords.denial(
                identity.signing(), requestId, identity.id(), System.currentTimeMillis())));
    }

    public void revoke(String grantId) {
        source.decide(new DecisionEvent(DecisionRecords.revocation(identity.signing(), grantId, identity.id(),
                System.currentTimeMillis())));
    }

    public void erase(String credentialId) {
        source.decide(new DecisionEvent(DecisionRecords.erasure(identity.signing(), credentialId, identity.id(),
                System.currentTimeMillis())));
    }

    /** The holder's stored credentials, by id (latest state; erased ones are gone). */
    public Map<String, StoredCredential> credentials() {
        return source.credentials();
    }

    /**
     * The holder's own view of a credential: every field decrypted here, with the holder's key, and checked against
     * the issuer's signed commitments. The values stay in this process.
     */
    public Map<String, String> open(String credentialId) {
        return checks.open(credential(credentialId).getCredential(), identity.encryption());
    }

    public StoredCredential credential(String credentialId) {
        return source.credential(credentialId).orElseThrow(() -> new IdstreamException("credential " + credentialId
                + " is not in the vault of '" + identity.id() + "'"));
    }

    /**
     * Waits until the processors have stored the credential, then returns it as the vault holds it now (an erasure
     * since is refused as for {@link #credential}).
     */
    public StoredCredential awaitCredential(String credentialId, Duration timeout) {
        source.awaitCredential(credentialId, timeout);
        return credential(credentialId);
    }

    /** Grants that have not been revoked, expired or ended with their credential, by grant id. */
    public Map<String, AccessAudit> activeGrants() {
        return activeGrants(audit());
    }

    static Map<String, AccessAudit> activeGrants(List<AccessAudit> trail) {
        return HolderGrants.active(trail);
    }

    /** An active grant with its terms, as the holder signed them, and its uses so far. */
    public record GrantView(String grantId, String consumerId, String credentialId, List<String> fields,
                            String purpose, long grantedAt, long expiresAt, int maxUses, int uses) {
        /** Uses left, or -1 when the grant has no limit. */
        public int usesLeft() {
            return maxUses == 0 ? -1 : Math.max(0, maxUses - uses);
        }
    }

    /** Active grants with their terms (read back from this holder's own signed decisions) and uses, oldest first. */
    public List<GrantView> grants() {
        return source.grants(this::audit);
    }

    /** {@link #grants()}, given the audit trail just read with {@link #audit()} (so a caller reads it once). */
    public List<GrantView> grants(List<AccessAudit> trail) {
        return source.grants(() -> trail);
    }

    /** Who received what, when and why: this holder's audit trail, oldest first. */
    public List<AccessAudit> audit() {
        return source.audit();
    }

    /** Waits until the inbox holds the request; refuses one that has been answered or has expired since. */
    public PendingRequest awaitPending(String requestId, Duration timeout) {
        source.awaitPending(requestId, timeout);
        return inbox().stream().filter(p -> p.getRequest().getRequestId().equals(requestId)).findFirst()
                .orElseThrow(() -> new IdstreamException(skippedRecords().stream()
                        .map(SkippedRecord::reason).filter(reason -> reason.startsWith("request " + requestId + " "))
                        .findFirst().orElse("request " + requestId + " is no longer pending for '" + identity.id()
                                + "'")));
    }

    /**
     * What this client has read past and reported, each once: pending requests and grants the gateway served that do
     * not verify (docs/protocol.md sections 9 and 12).
     */
    @Override
    public List<SkippedRecord> skippedRecords() {
        return source.skippedRecords();
    }

    @Override
    public void close() {
        source.close();
    }
}
