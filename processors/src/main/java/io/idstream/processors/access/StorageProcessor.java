package io.idstream.processors.access;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import io.idstream.processors.StoreNames;
import io.idstream.processors.UnionRouter;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireKey;

/**
 * Admits issuers' credentials to the vault: the issuer must be registered, an issuer, accredited by a trusted
 * operator, and its signature must verify over every commitment; the holder must be registered; ids, names and sizes
 * must be within bounds. Admitted credentials go to the compacted stored topic and the task's credential store. An
 * issuer's signed revocation marks its credential revoked and tells the access processor, which ends its grants.
 * While {@code idstream.issuance.write.grant.required} is on, a credential is stored only under a write grant of its
 * holder in force naming its issuer and type; the issuer hears on its notice topic that its credential was stored or
 * refused. An issuer's consent request is checked and put in the holder's inbox ({@link ConsentRequests}).
 */
public final class StorageProcessor extends GuardedProcessor {
    public static final String NAME = "storage-processor";

    private static final Logger LOG = LoggerFactory.getLogger(StorageProcessor.class);
    private final Deserializer<IssuanceEvent> deserializer;
    private final ProcessorsConfig config;
    private final PrincipalTopics issuerNoticeTopics;
    private final CredentialShape shape;
    private DirectoryView directory;
    private KeyValueStore<String, StoredCredential> credentials;
    private KeyValueStore<String, Long> endedCredentials;
    private WriteGrantStore writeGrants;
    private UsedIds usedIds;
    private AccessOutbox outbox;
    private IssuerNotices issuerNotices;
    private UnionRouter issuance;

    /** @param issuerNoticeTopics the issuers' notice topics, which storing and refusing credentials tell */
    public StorageProcessor(Deserializer<IssuanceEvent> deserializer, ProcessorsConfig config,
                            PrincipalTopics issuerNoticeTopics) {
        super(Sinks.REJECTED, config.partitions());
        this.deserializer = deserializer;
        this.config = config;
        this.issuerNoticeTopics = issuerNoticeTopics;
        this.shape = new CredentialShape(config);
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context) {
        this.directory = DirectoryView.ofTask(context);
        this.credentials = context.getStateStore(StoreNames.CREDENTIALS);
        this.endedCredentials = context.getStateStore(StoreNames.ENDED_CREDENTIALS);
        ExpiryIndex expiries = new ExpiryIndex(context);
        this.writeGrants = new WriteGrantStore(context, expiries);
        // The storage processor writes no audit entry: storing is not an access.
        this.outbox = new AccessOutbox(context, outcome -> { });
        this.issuerNotices = new IssuerNotices(context, issuerNoticeTopics);
        this.usedIds = new UsedIds(context, expiries);
        ConsentRequests consentRequests = new ConsentRequests(directory, usedIds, config, context);
        this.issuance = new UnionRouter("issuance event")
                .on(CredentialIssued.class, this::store)
                .on(CredentialRevoked.class, this::revoke)
                .on(ConsentRequest.class, consentRequests::forward);
    }

    @Override
    protected void handle(Record<Object, Object> record) {
        byte[] bytes = (byte[]) record.value();
        if (bytes != null && bytes.length > config.maxCredentialBytes()) {
            throw new Rejection(RejectReason.OVERSIZE, "record is " + bytes.length + " bytes, more than the limit of "
                    + config.maxCredentialBytes());
        }
        issuance.route(keyOf(record), decode(deserializer, sourceTopic(), bytes).getEvent(), record.timestamp());
    }

    private void store(String key, CredentialIssued credential, long timestamp) {
        String holderId = credential.getHolderId();
        requireKey(key, holderId, "holder id");
        shape.require(credential);
        byte[] issuerKey = directory.signingKeyOf(credential.getIssuerId(), DirectoryView.ISSUER,
                RejectReason.UNKNOWN_PRINCIPAL);
        if (!directory.isAccredited(credential.getIssuerId())) {
            throw new Rejection(RejectReason.NOT_ACCREDITED, "issuer '" + credential.getIssuerId()
                    + "' is not accredited");
        }
        directory.require(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        checkSignature(() -> CredentialRecords.verifyIssuerSignature(issuerKey, credential));
        String storeKey = HolderKeys.of(holderId, credential.getCredentialId());
        StoredCredential already = credentials.get(storeKey);
        // A credential revoked before ended ids were kept is still in the vault as REVOKED.
        if (endedCredentials.get(storeKey) != null
                || (already != null && already.getStatus() == CredentialStatus.REVOKED)) {
            throw new Rejection(RejectReason.CREDENTIAL_ENDED, "credential " + credential.getCredentialId()
                    + " was revoked or erased and is never stored again");
        }
        if (already != null) {
            throw new Rejection(RejectReason.REPLAY, "credential " + credential.getCredentialId()
                    + " is already stored");
        }
        long now = context.currentSystemTimeMs();
        if (config.writeGrantRequired()) {
            requireWriteGrant(credential, now, timestamp);
        }
        StoredCredential stored = new StoredCredential(credential, CredentialStatus.ACTIVE, "", 0L, now, null, 0L);
        credentials.put(storeKey, stored);
        outbox.vault(storeKey, stored, timestamp);
        outbox.toHolder(HolderNoticeKind.CREDENTIAL_STORED, AccessSubject.ofCredential(holderId,
                credential.getCredentialId()), "credential of type " + credential.getType() + " from "
                + credential.getIssuerId() + " stored", timestamp);
        issuerNotices.credentialStored(credential, timestamp);
        LOG.info("Credential stored holderId={} credentialId={} issuerId={} fields={}", holderId,
                credential.getCredentialId(), credential.getIssuerId(), credential.getFields().size());
    }

    /**
     * Refuses a credential that no write grant of its holder in force allows, telling its issuer and its holder;
     * write grants the holder's signing key bound now did not sign end first, their issuers told. The
     * refused credential's id is remembered for the replay window, from its issue date if that is later: its bytes
     * are on idstream.rejected, and sent again once the holder allows the issuer they would store a credential
     * written before the holder consented. The issuer sends a new credential, with a new id, instead.
     */
    private void requireWriteGrant(CredentialIssued credential, long now, long timestamp) {
        String holderId = credential.getHolderId();
        String usedId = "credential:" + credential.getCredentialId();
        usedIds.requireUnused(holderId, usedId);
        // A holder who rotated her keys without a credential to re-key ends her old write grants only here.
        byte[] holderKey = directory.signingKeyOf(holderId, DirectoryView.HOLDER, RejectReason.UNKNOWN_HOLDER);
        for (WriteGrant ended : writeGrants.removeNotSignedBy(holderId, holderKey)) {
            issuerNotices.writeGrantEnded(ended, "the holder's key changed", timestamp);
        }
        if (writeGrants.allows(holderId, credential.getIssuerId(), credential.getType(), now)) {
            return;
        }
        usedIds.markUsed(holderId, usedId, Math.max(now, credential.getIssuedAt()));
        Rejection refusal = new Rejection(RejectReason.NO_WRITE_GRANT, "no write grant of holder '" + holderId
                + "' in force allows '" + credential.getIssuerId() + "' to write credentials of type '"
                + credential.getType() + "'");
        // Told only now that the issuer's signature verified: nobody else can fill its topic with refusals.
        issuerNotices.credentialRefused(credential, refusal, timestamp);
        outbox.toHolder(HolderNoticeKind.CREDENTIAL_REFUSED, AccessSubject.ofCredential(holderId,
                credential.getCredentialId()), "'" + credential.getIssuerId() + "' sent a credential of type "
                + credential.getType() + " that no write grant of yours allows", timestamp);
        throw refusal;
    }

    private void revoke(String key, CredentialRevoked revocation, long timestamp) {
        String holderId = revocation.getHolderId();
        requireKey(key, holderId, "holder id");
        String storeKey = HolderKeys.of(holderId, revocation.getCredentialId());
        StoredCredential stored = credentials.get(storeKey);
        if (stored == null) {
            throw new Rejection(RejectReason.UNKNOWN_CREDENTIAL, "credential " + revocation.getCredentialId()
                    + " of holder '" + holderId + "' is not stored");
        }
        if (!stored.getCredential().getIssuerId().equals(revocation.getIssuerId())) {
            throw new Rejection(RejectReason.NOT_OWNER, "credential " + revocation.getCredentialId()
                    + " was not issued by '" + revocation.getIssuerId() + "'");
        }
        byte[] issuerKey = directory.signingKeyOf(revocation.getIssuerId(), DirectoryView.ISSUER,
                RejectReason.UNKNOWN_PRINCIPAL);
        checkSignature(() -> DecisionRecords.verify(issuerKey, revocation));
        if (stored.getStatus() == CredentialStatus.REVOKED) {
            throw new Rejection(RejectReason.REPLAY, "credential " + revocation.getCredentialId()
                    + " is already revoked");
        }
        StoredCredential revoked = StoredCredential.newBuilder(stored).setStatus(CredentialStatus.REVOKED)
                .setRevocationReason(revocation.getReason()).setRevokedAt(revocation.getRevokedAt())
                .setRevocation(revocation).build();
        credentials.put(storeKey, revoked);
        endedCredentials.put(storeKey, context.currentSystemTimeMs());
        outbox.vault(storeKey, revoked, timestamp);
        // The access processor ends the credential's grants and tells their consumers.
        context.forward(new Record<>(storeKey, revoked, timestamp), AccessProcessor.NAME);
        LOG.info("Credential revoked by its issuer holderId={} credentialId={}", holderId,
                revocation.getCredentialId());
    }
}
