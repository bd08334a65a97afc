package io.idstream.sdk;

import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.Statements.CredentialHeader;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** An issuer's client: issues encrypted, signed credentials to registered holders, and revokes them. */
public final class IssuerClient extends PrincipalClient {
    public IssuerClient(Identity identity, Properties properties) {
        super(identity, properties);
    }

    /**
     * Encrypts and signs a credential for the holder (PROTOCOL.md section 4) and sends it for storage; returns its id.
     *
     * @param expiresAt epoch milliseconds, or 0 for no expiry
     */
    public String issue(String holderId, String type, Map<String, String> fields, long expiresAt) {
        VerifiedPrincipal holder = directory.require(holderId, "holder");
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), holderId, identity.id(), type,
                System.currentTimeMillis(), expiresAt);
        Credentials.IssuedCredential credential;
        try {
            credential = Credentials.issue(identity.signing(), header,
                    AvroValues.bytes(holder.getPrincipal().getEncryptionKey()), fields);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
        List<EncryptedField> sealed = credential.fields().stream().map(f -> new EncryptedField(f.name(),
                ByteBuffer.wrap(f.commitment()), ByteBuffer.wrap(f.ciphertext()))).toList();
        CredentialIssued issued = new CredentialIssued(header.credentialId(), holderId, identity.id(), type,
                header.issuedAt(), expiresAt, sealed, ByteBuffer.wrap(credential.holderKey().enc()),
                ByteBuffer.wrap(credential.holderKey().ct()), ByteBuffer.wrap(credential.issuerSignature()));
        gateway.send(gateway.catalog().credentialsIssued(), holderId, new IssuanceEvent(issued));
        return header.credentialId();
    }

    /** Revokes a credential this issuer issued. */
    public void revoke(String holderId, String credentialId, String reason) {
        long now = System.currentTimeMillis();
        byte[] signature = Decisions.signCredentialRevocation(identity.signing(), credentialId, identity.id(), reason,
                now);
        gateway.send(gateway.catalog().credentialsIssued(), holderId, new IssuanceEvent(new CredentialRevoked(
                credentialId, holderId, identity.id(), reason, now, ByteBuffer.wrap(signature))));
    }
}
