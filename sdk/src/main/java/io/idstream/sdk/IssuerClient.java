package io.idstream.sdk;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.WriteGrantRecords;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * An issuer's client: asks holders for consent, issues encrypted, signed credentials to registered holders (and hears
 * whether each was stored or refused), and revokes them.
 */
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
        VerifiedPrincipal holder = directory.requireFresh(holderId, "holder");
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

    /**
     * Asks the holder to allow this issuer to write credentials of {@code credentialTypes} (a signed consent request,
     * docs/protocol.md section 6a, which the processors check and put in the holder's inbox); returns its id.
     */
    public String requestConsent(String holderId, List<String> credentialTypes, String purpose) {
        directory.require(holderId, "holder");
        ConsentRequest request;
        try {
            request = WriteGrantRecords.consentRequest(identity.signing(), UUID.randomUUID().toString(),
                    identity.id(), holderId, credentialTypes, purpose, System.currentTimeMillis());
            WriteGrantRecords.checkShape(request);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
        gateway.send(gateway.catalog().credentialsIssued(), holderId, new IssuanceEvent(request));
        return request.getConsentRequestId();
    }

    /**
     * Issues as {@link #issue} does, then waits for the processors' word on this issuer's notice topic: stored, or
     * refused with their reason (for example {@code no-write-grant}, when the holder has not allowed this issuer).
     * The topic is read from the position its end had before the credential was sent, so that no notice is missed.
     *
     * @throws IdstreamException when neither comes within {@code timeout}
     */
    public IssuanceOutcome issueAndAwait(String holderId, String type, Map<String, String> fields, long expiresAt,
                                         Duration timeout) {
        try (IssuerNotices notices = IssuerNotices.fromEnd(gateway, identity.id(), holderId)) {
            String credentialId = issue(holderId, type, fields, expiresAt);
            IssuerNotice notice = notices.await(holderId, n -> n.getCredentialId().equals(credentialId)
                    && (n.getKind() == IssuerNoticeKind.CREDENTIAL_STORED
                    || n.getKind() == IssuerNoticeKind.CREDENTIAL_REFUSED), timeout)
                    .orElseThrow(() -> new IdstreamException("credential " + credentialId + ": no word from the "
                            + "processors within " + timeout.toSeconds() + " s (are they running?)"));
            return new IssuanceOutcome(credentialId, notice.getKind() == IssuerNoticeKind.CREDENTIAL_STORED,
                    notice.getReason(), notice.getDetail());
        }
    }

    /**
     * The holder's write grant to this issuer in force ({@code WRITE_GRANTED} and not ended since), answering
     * {@code consentRequestId} (null: any), as soon as this issuer's notice topic shows one; empty when none does
     * within {@code timeout}.
     */
    public Optional<IssuerNotice> awaitWriteGrant(String holderId, String consentRequestId, Duration timeout) {
        try (IssuerNotices notices = IssuerNotices.fromStart(gateway, identity.id(), holderId)) {
            return notices.awaitWriteGrant(holderId, notice -> consentRequestId == null
                    || consentRequestId.equals(notice.getConsentRequestId()), timeout);
        }
    }

    /** Revokes a credential this issuer issued. */
    public void revoke(String holderId, String credentialId, String reason) {
        gateway.send(gateway.catalog().credentialsIssued(), holderId, new IssuanceEvent(
                DecisionRecords.credentialRevocation(identity.signing(), credentialId, holderId, identity.id(), reason,
                        System.currentTimeMillis())));
    }
}
