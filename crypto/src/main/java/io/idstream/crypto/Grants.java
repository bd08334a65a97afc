package io.idstream.crypto;

import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.GrantStatement;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grants as docs/protocol.md section 6 makes them: the holder derives the keys of the granted fields only, seals them
 * to the consumer, and signs the terms together with a hash of the sealed package. Nothing is re-encrypted, so a grant
 * costs the same whatever the credential's size.
 */
public final class Grants {
    static final String GRANT_KEYS_INFO = "idstream/v1/grant-keys";

    private Grants() {
    }

    /** The terms a holder chooses, and when it signs them ({@code issuedAt}); the fields are the ones granted. */
    public record Terms(String grantId, String consumerId, String requestId, String purpose, long issuedAt,
                        long notBefore, long expiresAt, long maxUses, List<String> fields) {
    }

    /** A signed grant: the statement (with its sealed key package) and the holder's signature. */
    public record SignedGrant(GrantStatement statement, byte[] signature) {
    }

    /** Makes and signs a grant of {@code terms.fields()} of the holder's credential to the consumer's key. */
    public static SignedGrant grant(SigningKeyPair holderSigning, EncryptionKeyPair holderEncryption,
                                    CredentialHeader credential, Sealed holderKey, Terms terms,
                                    byte[] consumerEncryptionKey) {
        Identifiers.requireUuid("grant id", terms.grantId());
        Identifiers.requirePrincipalId("consumer id", terms.consumerId());
        if (!terms.requestId().isEmpty()) {
            Identifiers.requireUuid("request id", terms.requestId());
        }
        if (terms.maxUses() < 0 || terms.maxUses() > Integer.MAX_VALUE) {
            throw new CryptoException("maxUses " + terms.maxUses() + " is out of range");
        }
        List<String> fields = Encoding.sorted(terms.fields());
        if (fields.isEmpty()) {
            throw new CryptoException("a grant names at least one field");
        }
        fields.forEach(Identifiers::requireFieldName);
        byte[] credentialKey = Credentials.unwrapCredentialKey(holderEncryption, credential, holderKey);
        Map<String, byte[]> fieldKeys = new LinkedHashMap<>();
        try {
            for (String name : fields) {
                fieldKeys.put(name, FieldCrypto.fieldKey(credentialKey, credential.credentialId(), name));
            }
            Sealed keys = sealKeyPackage(consumerEncryptionKey, terms.grantId(), credential.credentialId(),
                    terms.consumerId(), fieldKeys);
            GrantStatement statement = new GrantStatement(terms.grantId(), credential.holderId(), terms.consumerId(),
                    credential.credentialId(), terms.requestId(), terms.purpose(), terms.issuedAt(),
                    terms.notBefore(), terms.expiresAt(), terms.maxUses(), fields, keys.enc(), keys.ct());
            return new SignedGrant(statement, holderSigning.sign(statement.toBeSigned()));
        } finally {
            Arrays.fill(credentialKey, (byte) 0);
            fieldKeys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
    }

    /** Checks the holder's signature over a grant. */
    public static void verify(byte[] holderSigningKey, GrantStatement grant, byte[] signature) {
        Signatures.verify(holderSigningKey, grant, signature);
    }

    /** Seals {@code u32(n) || for each field, sorted: lp(name) || fieldKey} to the consumer. */
    public static Sealed sealKeyPackage(byte[] consumerEncryptionKey, String grantId, String credentialId,
                                        String consumerId, Map<String, byte[]> fieldKeys) {
        byte[] plaintext = keyPackage(fieldKeys);
        try {
            return Hpke.seal(consumerEncryptionKey, Hpke.ascii(GRANT_KEYS_INFO),
                    keyPackageAad(grantId, credentialId, consumerId), plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The consumer's open of a key package: field name to 32-byte field key, in protocol order. */
    public static Map<String, byte[]> openKeyPackage(EncryptionKeyPair consumer, String grantId, String credentialId,
                                                     String consumerId, Sealed keys) {
        byte[] plaintext = Hpke.open(consumer, Hpke.ascii(GRANT_KEYS_INFO),
                keyPackageAad(grantId, credentialId, consumerId), keys);
        try {
            return parseKeyPackage(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    static byte[] keyPackage(Map<String, byte[]> fieldKeys) {
        List<String> names = Encoding.sorted(fieldKeys.keySet());
        Encoding out = Encoding.untagged().u32(names.size());
        for (String name : names) {
            byte[] key = fieldKeys.get(name);
            if (key.length != FieldCrypto.KEY_LENGTH) {
                throw new CryptoException("field key of '" + name + "' is not 32 bytes");
            }
            out.lp(name).raw(key);
        }
        return out.toBytes();
    }

    static Map<String, byte[]> parseKeyPackage(byte[] plaintext) {
        ByteBuffer in = ByteBuffer.wrap(plaintext);
        try {
            long count = Integer.toUnsignedLong(in.getInt());
            // Each entry takes at least 4 + 1 + 32 bytes: a count beyond that is a lie, not a reason to allocate.
            if (count > in.remaining() / 37) {
                throw new CryptoException("key package claims " + count + " fields in " + plaintext.length + " bytes");
            }
            Map<String, byte[]> keys = new LinkedHashMap<>();
            String previous = null;
            for (long i = 0; i < count; i++) {
                int nameLength = in.getInt();
                if (nameLength < 1 || nameLength > in.remaining()) {
                    throw new CryptoException("key package has a malformed field name length");
                }
                byte[] nameBytes = new byte[nameLength];
                in.get(nameBytes);
                String name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(nameBytes)).toString();
                if (previous != null && Encoding.NAME_ORDER.compare(previous, name) >= 0) {
                    throw new CryptoException("key package fields are not in ascending name order");
                }
                byte[] key = new byte[FieldCrypto.KEY_LENGTH];
                in.get(key);
                keys.put(name, key);
                previous = name;
            }
            if (in.hasRemaining()) {
                throw new CryptoException("key package has " + in.remaining() + " trailing bytes");
            }
            return keys;
        } catch (BufferUnderflowException | CharacterCodingException e) {
            throw new CryptoException("key package is truncated or malformed");
        }
    }

    /** {@code lp(grantId) || lp(credentialId) || lp(consumerId)}. */
    static byte[] keyPackageAad(String grantId, String credentialId, String consumerId) {
        return Encoding.untagged().lp(grantId).lp(credentialId).lp(consumerId).toBytes();
    }
}
