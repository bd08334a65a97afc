package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.FieldCrypto;
import io.idstream.crypto.Identifiers;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.processors.GuardedProcessor;
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

import java.util.List;

import static io.idstream.processors.Checks.checkShape;
import static io.idstream.processors.Checks.checkSignature;
import static io.idstream.processors.Checks.requireKey;

/**
 * Admits issuers' credentials to the vault: the issuer must be registered, an issuer, accredited by a trusted
 * operator, and its signature must verify over every commitment; the holder must be registered; ids, names and sizes
 * must be within bounds. Admitted credentials go to the compacted stored topic and the task's credential store. An
 * issuer's signed revocation marks its credential revoked and tells the access processor, which ends its grants.
 */
public final class StorageProcessor extends GuardedProcessor {
    public static final String NAME = "storage-processor";

    private static final Logger LOG = LoggerFactory.getLogger(StorageProcessor.class);
    /** Nonce, salt and tag around a field's value. */
    private static final int FIELD_OVERHEAD = FieldCrypto.NONCE_LENGTH + FieldCrypto.SALT_LENGTH
            + FieldCrypto.TAG_LENGTH;

    private final Deserializer<IssuanceEvent> deserializer;
    private final ProcessorsConfig config;
    private DirectoryView directory;
    private KeyValueStore<String, StoredCredential> credentials;
    private KeyValueStore<String, Long> endedCredentials;
    private AccessOutbox outbox;
    private UnionRouter issuance;

    public StorageProcessor(Deserializer<IssuanceEvent> deserializer, ProcessorsConfig config) {
        super(Sinks.REJECTED, config.partitions());
        this.deserializer = deserializer;
        this.config = config;
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context) {
        this.directory = DirectoryView.of(context);
        this.credentials = context.getStateStore(StoreNames.CREDENTIALS);
        this.endedCredentials = context.getStateStore(StoreNames.ENDED_CREDENTIALS);
        // The storage processor writes no audit entry: storing is not an access.
        this.outbox = new AccessOutbox(context, outcome -> { });
        this.issuance = new UnionRouter("issuance event")
                .on(CredentialIssued.class, this::store)
                .on(CredentialRevoked.class, this::revoke);
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
        requireWellFormed(credential);
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
        StoredCredential stored = new StoredCredential(credential, CredentialStatus.ACTIVE, "", 0L, now, null, 0L);
        credentials.put(storeKey, stored);
        outbox.vault(storeKey, stored, timestamp);
        outbox.toHolder(HolderNoticeKind.CREDENTIAL_STORED, AccessSubject.ofCredential(holderId,
                credential.getCredentialId()), "credential of type " + credential.getType() + " from "
                + credential.getIssuerId() + " stored", timestamp);
        LOG.info("Credential stored holderId={} credentialId={} issuerId={} fields={}", holderId,
                credential.getCredentialId(), credential.getIssuerId(), credential.getFields().size());
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

    private void requireWellFormed(CredentialIssued credential) {
        checkShape(() -> {
            Identifiers.requireUuid("credential id", credential.getCredentialId());
            Identifiers.requirePrincipalId("holder id", credential.getHolderId());
            Identifiers.requirePrincipalId("issuer id", credential.getIssuerId());
            credential.getFields().forEach(f -> Identifiers.requireFieldName(f.getName()));
        });
        List<EncryptedField> fields = credential.getFields();
        if (fields.isEmpty()) {
            throw new Rejection(RejectReason.MALFORMED, "credential has no fields");
        }
        if (fields.size() > config.maxFields()) {
            throw new Rejection(RejectReason.OVERSIZE, "credential has " + fields.size()
                    + " fields, more than the limit of " + config.maxFields());
        }
        if (!Encoding.isStrictlySorted(fields.stream().map(EncryptedField::getName).toList())) {
            throw new Rejection(RejectReason.MALFORMED, "fields are not in ascending name order or repeat a name");
        }
        for (EncryptedField field : fields) {
            int valueBytes = field.getCiphertext().remaining() - FIELD_OVERHEAD;
            if (valueBytes > config.maxFieldBytes()) {
                throw new Rejection(RejectReason.OVERSIZE, "field '" + field.getName() + "' holds " + valueBytes
                        + " bytes, more than the limit of " + config.maxFieldBytes());
            }
            if (field.getCiphertext().remaining() < FieldCrypto.MIN_CIPHERTEXT_LENGTH
                    || field.getCommitment().remaining() != FieldCrypto.COMMITMENT_LENGTH) {
                throw new Rejection(RejectReason.MALFORMED, "field '" + field.getName()
                        + "' has a malformed commitment or ciphertext");
            }
        }
        if (credential.getHolderKeyEnc().remaining() != 32) {
            throw new Rejection(RejectReason.MALFORMED, "the holder's wrapped key has a malformed enc");
        }
    }
}
