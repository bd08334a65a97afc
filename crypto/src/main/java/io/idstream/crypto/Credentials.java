package io.idstream.crypto;

import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials as docs/protocol.md section 4 makes them: an issuer encrypts every field under keys derived from one
 * random credential key, wraps that key to the holder alone, and signs the salted commitments; the holder unwraps the
 * key and opens the fields.
 */
public final class Credentials {
    static final String HOLDER_KEY_INFO = "idstream/v1/holder-key";

    private Credentials() {
    }

    /** One field as stored: name, commitment, ciphertext. */
    public record SealedField(String name, byte[] commitment, byte[] ciphertext) {
        @Override
        public String toString() {
            return "SealedField[" + name + ", " + ciphertext.length + " bytes]";
        }
    }

    /** What an issuer publishes: the header, the sealed fields sorted by name, the wrapped key and the signature. */
    public record IssuedCredential(CredentialHeader header, List<SealedField> fields, Sealed holderKey,
                                   byte[] issuerSignature) {
        public List<Commitment> commitments() {
            return fields.stream().map(f -> new Commitment(f.name(), f.commitment())).toList();
        }
    }

    /** Issues a credential to the holder's X25519 public key and signs it with the issuer's key. */
    public static IssuedCredential issue(SigningKeyPair issuer, CredentialHeader header, byte[] holderEncryptionKey,
                                         Map<String, String> fields) {
        Identifiers.requireUuid("credential id", header.credentialId());
        Identifiers.requirePrincipalId("holder id", header.holderId());
        Identifiers.requirePrincipalId("issuer id", header.issuerId());
        if (fields.isEmpty()) {
            throw new CryptoException("a credential needs at least one field");
        }
        byte[] credentialKey = FieldCrypto.newCredentialKey();
        try {
            List<SealedField> sealed = new ArrayList<>();
            for (String name : Encoding.sorted(fields.keySet())) {
                Identifiers.requireFieldName(name);
                String value = fields.get(name);
                if (value == null) {
                    throw new CryptoException("field '" + name + "' has no value");
                }
                byte[] salt = FieldCrypto.newSalt();
                byte[] fieldKey = FieldCrypto.fieldKey(credentialKey, header.credentialId(), name);
                sealed.add(new SealedField(name, FieldCrypto.commitment(header.credentialId(), name, salt, value),
                        FieldCrypto.encrypt(fieldKey, header.credentialId(), name, salt, value)));
                Arrays.fill(fieldKey, (byte) 0);
            }
            Sealed holderKey = Hpke.seal(holderEncryptionKey, Hpke.ascii(HOLDER_KEY_INFO),
                    holderKeyAad(header.credentialId(), header.holderId()), credentialKey);
            List<Commitment> commitments = sealed.stream().map(f -> new Commitment(f.name(), f.commitment())).toList();
            byte[] signature = issuer.sign(ToBeSigned.credential(header, commitments));
            return new IssuedCredential(header, List.copyOf(sealed), holderKey, signature);
        } finally {
            Arrays.fill(credentialKey, (byte) 0);
        }
    }

    /** Checks the issuer's signature over the header and every commitment, which must be in protocol order. */
    public static void verifyIssuerSignature(byte[] issuerSigningKey, CredentialHeader header,
                                             List<Commitment> commitments, byte[] signature) {
        List<String> names = commitments.stream().map(Commitment::name).toList();
        if (!Encoding.isStrictlySorted(names)) {
            throw new CryptoException("credential " + header.credentialId()
                    + ": commitments are not in ascending name order or repeat a name");
        }
        Signatures.verify("issuer signature of credential " + header.credentialId(), issuerSigningKey,
                ToBeSigned.credential(header, commitments), signature);
    }

    /** The holder's unwrap of the 32-byte credential key. */
    public static byte[] unwrapCredentialKey(EncryptionKeyPair holder, CredentialHeader header, Sealed holderKey) {
        byte[] key;
        try {
            key = Hpke.open(holder, Hpke.ascii(HOLDER_KEY_INFO),
                    holderKeyAad(header.credentialId(), header.holderId()), holderKey);
        } catch (CryptoException e) {
            throw new CryptoException("credential key of " + header.credentialId()
                    + " does not unwrap for holder " + header.holderId() + ": " + e.getMessage());
        }
        if (key.length != FieldCrypto.KEY_LENGTH) {
            throw new CryptoException("credential key of " + header.credentialId() + " is " + key.length
                    + " bytes, expected 32");
        }
        return key;
    }

    /** The holder's view: every field decrypted and checked against its signed commitment, in name order. */
    public static Map<String, String> open(EncryptionKeyPair holder, IssuedCredential credential) {
        byte[] credentialKey = unwrapCredentialKey(holder, credential.header(), credential.holderKey());
        try {
            Map<String, String> values = new LinkedHashMap<>();
            String credentialId = credential.header().credentialId();
            for (SealedField field : credential.fields()) {
                byte[] fieldKey = FieldCrypto.fieldKey(credentialKey, credentialId, field.name());
                FieldCrypto.OpenedField opened = FieldCrypto.decrypt(fieldKey, credentialId, field.name(),
                        field.ciphertext());
                Arrays.fill(fieldKey, (byte) 0);
                if (!FieldCrypto.matchesCommitment(credentialId, opened, field.commitment())) {
                    throw new CryptoException("field '" + field.name() + "' of credential " + credentialId
                            + " does not match its signed commitment");
                }
                values.put(field.name(), opened.value());
            }
            return values;
        } finally {
            Arrays.fill(credentialKey, (byte) 0);
        }
    }

    /** {@code lp(credentialId) || lp(holderId)}. */
    static byte[] holderKeyAad(String credentialId, String holderId) {
        return Encoding.untagged().lp(credentialId).lp(holderId).toBytes();
    }

}
