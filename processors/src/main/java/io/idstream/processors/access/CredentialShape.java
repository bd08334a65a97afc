package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.EncryptedField;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.FieldCrypto;
import io.idstream.crypto.Identifiers;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;

import java.util.List;

import static io.idstream.processors.Checks.checkShape;

/**
 * The shape of an issued credential, checked before its signature (docs/protocol.md section 11): ids and field names
 * of the right form, at least one field and at most {@code idstream.limits.max.fields}, in ascending name order, each
 * value within {@code idstream.limits.max.field.bytes}, each ciphertext and commitment of a possible length, and a
 * sealed credential key with a 32-byte enc.
 */
final class CredentialShape {
    /** Nonce, salt and tag around a field's value. */
    private static final int FIELD_OVERHEAD = FieldCrypto.NONCE_LENGTH + FieldCrypto.SALT_LENGTH
            + FieldCrypto.TAG_LENGTH;

    private final ProcessorsConfig config;

    CredentialShape(ProcessorsConfig config) {
        this.config = config;
    }

    void require(CredentialIssued credential) {
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
