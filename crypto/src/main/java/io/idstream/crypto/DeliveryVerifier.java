package io.idstream.crypto;

import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerification.Rejected;
import io.idstream.crypto.DeliveryVerification.Verified;
import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.GrantStatement;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer's verification of a delivery (docs/protocol.md section 8), needing nothing but the issuer's and holder's
 * signing keys from the directory and the consumer's own encryption key: it trusts no byte of the platform's. Any
 * failure rejects the whole delivery and names the check that failed. Thread-safe.
 */
public final class DeliveryVerifier {
    private final EncryptionKeyPair consumerKey;

    public DeliveryVerifier(EncryptionKeyPair consumerKey) {
        this.consumerKey = consumerKey;
    }

    public DeliveryVerification verify(Delivery delivery, byte[] issuerSigningKey, byte[] holderSigningKey) {
        try {
            return run(delivery, issuerSigningKey, holderSigningKey);
        } catch (Failure failure) {
            return new Rejected(failure.check, failure.getMessage());
        } catch (RuntimeException e) {
            // Whatever else a hostile delivery provokes is still a refusal of its shape, never a partial answer.
            return new Rejected(Check.STRUCTURE, "delivery is malformed: " + e.getClass().getSimpleName());
        }
    }

    private DeliveryVerification run(Delivery d, byte[] issuerSigningKey, byte[] holderSigningKey) {
        Delivery.GrantTerms grant = d.grant();
        checkStructure(d);

        CredentialHeader header = new CredentialHeader(d.credentialId(), d.holderId(), d.issuerId(), d.type(),
                d.issuedAt(), d.expiresAt());
        try {
            Credentials.verifyIssuerSignature(issuerSigningKey, header, d.commitments(), d.issuerSignature());
        } catch (CryptoException e) {
            throw new Failure(Check.ISSUER_SIGNATURE, e.getMessage());
        }

        GrantStatement statement = new GrantStatement(grant.grantId(), d.holderId(), d.consumerId(),
                d.credentialId(), grant.requestId(), grant.purpose(), grant.issuedAt(), grant.notBefore(),
                grant.expiresAt(), grant.maxUses(), grant.fields(), grant.keysEnc(), grant.keysCiphertext());
        try {
            Grants.verify(holderSigningKey, statement, grant.holderSignature());
        } catch (CryptoException e) {
            throw new Failure(Check.HOLDER_SIGNATURE, e.getMessage());
        }

        Map<String, byte[]> fieldKeys;
        try {
            fieldKeys = Grants.openKeyPackage(consumerKey, grant.grantId(), d.credentialId(), d.consumerId(),
                    new Sealed(grant.keysEnc(), grant.keysCiphertext()));
        } catch (CryptoException e) {
            throw new Failure(Check.KEY_PACKAGE, "key package of grant " + grant.grantId() + ": " + e.getMessage());
        }
        try {
            if (!fieldKeys.keySet().equals(Set.copyOf(grant.fields()))) {
                throw new Failure(Check.KEY_PACKAGE, "key package of grant " + grant.grantId()
                        + " holds keys for " + fieldKeys.keySet() + ", the grant names " + grant.fields());
            }
            return new Verified(d, openDisclosed(d, fieldKeys));
        } finally {
            fieldKeys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
    }

    private static Map<String, String> openDisclosed(Delivery d, Map<String, byte[]> fieldKeys) {
        Map<String, byte[]> commitments = new HashMap<>();
        d.commitments().forEach(c -> commitments.put(c.name(), c.commitment()));
        Map<String, String> values = new LinkedHashMap<>();
        for (Delivery.DisclosedField field : d.disclosed()) {
            FieldCrypto.OpenedField opened;
            try {
                opened = FieldCrypto.decrypt(fieldKeys.get(field.name()), d.credentialId(), field.name(),
                        field.ciphertext());
            } catch (CryptoException e) {
                throw new Failure(Check.FIELD_DECRYPTION, e.getMessage());
            }
            if (!FieldCrypto.matchesCommitment(d.credentialId(), opened, commitments.get(field.name()))) {
                throw new Failure(Check.COMMITMENT, "field '" + field.name() + "' does not match the commitment "
                        + "the issuer signed");
            }
            values.put(field.name(), opened.value());
        }
        if (d.grant().notBefore() > d.deliveredAt()
                || (d.grant().expiresAt() != 0 && d.deliveredAt() >= d.grant().expiresAt())) {
            throw new Failure(Check.GRANT_WINDOW, "delivered at " + d.deliveredAt() + ", outside the grant's window ["
                    + d.grant().notBefore() + ", " + d.grant().expiresAt() + ")");
        }
        return values;
    }

    private static void checkStructure(Delivery d) {
        Delivery.GrantTerms grant = d.grant();
        if (grant == null || d.commitments() == null || d.disclosed() == null || grant.fields() == null) {
            throw new Failure(Check.STRUCTURE, "delivery lacks its grant, commitments or disclosed fields");
        }
        List<String> signedNames = d.commitments().stream().map(Commitment::name).toList();
        if (!Encoding.isStrictlySorted(signedNames)) {
            throw new Failure(Check.STRUCTURE, "commitments are not in ascending name order or repeat a name");
        }
        for (Commitment commitment : d.commitments()) {
            if (commitment.commitment() == null || commitment.commitment().length != FieldCrypto.COMMITMENT_LENGTH) {
                throw new Failure(Check.STRUCTURE, "commitment of field '" + commitment.name() + "' is not 32 bytes");
            }
        }
        if (!Encoding.isStrictlySorted(grant.fields())) {
            throw new Failure(Check.STRUCTURE, "granted fields are not in ascending name order or repeat a name");
        }
        if (!Set.copyOf(signedNames).containsAll(grant.fields())) {
            throw new Failure(Check.STRUCTURE, "the grant names fields the credential does not have");
        }
        List<String> disclosedNames = d.disclosed().stream().map(Delivery.DisclosedField::name).toList();
        if (!Encoding.isStrictlySorted(disclosedNames)) {
            throw new Failure(Check.STRUCTURE, "disclosed fields are not in ascending name order or repeat a name");
        }
        if (!Set.copyOf(grant.fields()).containsAll(disclosedNames)) {
            throw new Failure(Check.STRUCTURE, "a disclosed field is not among the granted fields " + grant.fields());
        }
        if (grant.maxUses() < 0 || grant.maxUses() > 0xFFFF_FFFFL) {
            throw new Failure(Check.STRUCTURE, "maxUses is out of range");
        }
    }

    /** Carries the failed check out of the nested steps; never escapes {@link #verify}. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Check check;

        Failure(Check check, String message) {
            super(message, null, false, false);
            this.check = check;
        }
    }
}
