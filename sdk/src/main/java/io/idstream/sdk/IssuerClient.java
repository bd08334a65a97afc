package io.idstream.sdk;

import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.PrincipalRecords;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** An issuer's client: issues encrypted, signed credentials to registered holders, and revokes them. */
public final class IssuerClient extends PrincipalClient {
    public IssuerClient(Identity identity, Properties properties) {
        super(identity, properties);
    }

    /**
     * Encrypts and signs a credential for the holder (docs/protocol.md section 4) and sends it for storage; returns its
     * id.
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
                    PrincipalRecords.encryptionKey(holder.getPrincipal()), fields);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
        gateway.send(gateway.catalog().credentialsIssued(), holderId,
                new IssuanceEvent(CredentialRecords.toAvro(credential)));
        return header.credentialId();
    }

    /** Revokes a credential this issuer issued. */
    public void revoke(String holderId, String credentialId, String reason) {
        gateway.send(gateway.catalog().credentialsIssued(), holderId, new IssuanceEvent(
                DecisionRecords.credentialRevocation(identity.signing(), credentialId, holderId, identity.id(), reason,
                        System.currentTimeMillis())));
    }
}
