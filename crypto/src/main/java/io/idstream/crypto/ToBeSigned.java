package io.idstream.crypto;

import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.ConsentRequestStatement;
import io.idstream.crypto.Statements.CredentialRevocationStatement;
import io.idstream.crypto.Statements.DenialStatement;
import io.idstream.crypto.Statements.ErasureStatement;
import io.idstream.crypto.Statements.GrantStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RekeyStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.crypto.Statements.RevocationStatement;
import io.idstream.crypto.Statements.SignedStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.crypto.Statements.WriteGrantRevocationStatement;
import io.idstream.crypto.Statements.WriteGrantStatement;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * Every to-be-signed string of docs/protocol.md, each in one method that reads like the spec's line, starting with its
 * domain tag. Lists are written in protocol order (sorted by name) whatever order they are given in.
 */
public final class ToBeSigned {
    private ToBeSigned() {
    }

    /** What a statement's signature covers, and how an error names that signature ("holder signature of ..."). */
    record Signable(byte[] bytes, String signatureName) {
    }

    /**
     * The bytes and the signature's name of any signed statement: the one place that tells the kinds apart, so that
     * signing and verifying are the same steps for all of them.
     */
    static Signable of(SignedStatement statement) {
        if (statement instanceof RequestStatement request) {
            return new Signable(request(request), "consumer signature of request " + request.requestId());
        }
        if (statement instanceof GrantStatement grant) {
            return new Signable(grant(grant), "holder signature of grant " + grant.grantId());
        }
        if (statement instanceof DenialStatement denial) {
            return new Signable(deny(denial.requestId(), denial.holderId(), denial.decidedAt()),
                    "holder signature of the denial of request " + denial.requestId());
        }
        if (statement instanceof RevocationStatement revocation) {
            return new Signable(revoke(revocation.grantId(), revocation.holderId(), revocation.revokedAt()),
                    "holder signature of the revocation of grant " + revocation.grantId());
        }
        if (statement instanceof ErasureStatement erasure) {
            return new Signable(erase(erasure.credentialId(), erasure.holderId(), erasure.erasedAt()),
                    "holder signature of the erasure of credential " + erasure.credentialId());
        }
        if (statement instanceof CredentialRevocationStatement revocation) {
            return new Signable(credentialRevoke(revocation.credentialId(), revocation.issuerId(),
                    revocation.reason(), revocation.revokedAt()),
                    "issuer signature of the revocation of credential " + revocation.credentialId());
        }
        if (statement instanceof PrincipalStatement principal) {
            return new Signable(principal(principal), "signature of the registration of " + principal.id());
        }
        if (statement instanceof AccreditationStatement accreditation) {
            return new Signable(accreditation(accreditation),
                    "operator signature of the accreditation of " + accreditation.id());
        }
        if (statement instanceof WithdrawalStatement withdrawal) {
            return new Signable(withdrawal(withdrawal),
                    "operator signature of the withdrawal of the accreditation of " + withdrawal.id());
        }
        if (statement instanceof WriteGrantStatement writeGrant) {
            return new Signable(writeGrant(writeGrant),
                    "holder signature of write grant " + writeGrant.writeGrantId());
        }
        if (statement instanceof WriteGrantRevocationStatement revocation) {
            return new Signable(writeGrantRevoke(revocation.writeGrantId(), revocation.holderId(),
                    revocation.revokedAt()),
                    "holder signature of the revocation of write grant " + revocation.writeGrantId());
        }
        if (statement instanceof ConsentRequestStatement consentRequest) {
            return new Signable(consentRequest(consentRequest),
                    "issuer signature of consent request " + consentRequest.consentRequestId());
        }
        if (statement instanceof RekeyStatement rekey) {
            return new Signable(rekey(rekey), "holder signature of the re-key of credential " + rekey.credentialId());
        }
        throw new IllegalArgumentException("not a signed statement of the protocol: " + statement);
    }

    /** Section 4. */
    public static byte[] credential(CredentialHeader header, List<Commitment> commitments) {
        List<Commitment> sorted = commitments.stream().sorted(Comparator.comparing(Commitment::name,
                Encoding.NAME_ORDER)).toList();
        Encoding.sorted(sorted.stream().map(Commitment::name).toList());
        Encoding tbs = Encoding.tagged("idstream/v1/credential")
                .lp(header.credentialId()).lp(header.holderId()).lp(header.issuerId()).lp(header.type())
                .u64(header.issuedAt()).u64(header.expiresAt())
                .u32(sorted.size());
        for (Commitment commitment : sorted) {
            tbs.lp(commitment.name()).lp(commitment.commitment());
        }
        return tbs.toBytes();
    }

    /** Section 5. */
    public static byte[] request(RequestStatement request) {
        List<String> fields = Encoding.sorted(request.fields());
        Encoding tbs = Encoding.tagged("idstream/v1/request")
                .lp(request.requestId()).lp(request.consumerId()).lp(request.holderId())
                .lp(request.credentialType()).lp(request.credentialId()).lp(request.purpose()).u64(request.createdAt())
                .u32(fields.size());
        fields.forEach(tbs::lp);
        return tbs.toBytes();
    }

    /** Section 6, the grant. */
    public static byte[] grant(GrantStatement grant) {
        List<String> fields = Encoding.sorted(grant.fields());
        Encoding tbs = Encoding.tagged("idstream/v1/grant")
                .lp(grant.grantId()).lp(grant.holderId()).lp(grant.consumerId()).lp(grant.credentialId())
                .lp(grant.requestId()).lp(grant.purpose()).u64(grant.issuedAt())
                .u64(grant.notBefore()).u64(grant.expiresAt()).u32(grant.maxUses())
                .u32(fields.size());
        fields.forEach(tbs::lp);
        byte[] keysDigest = sha256(Encoding.untagged().lp(grant.keysEnc()).lp(grant.keysCiphertext()).toBytes());
        return tbs.lp(keysDigest).toBytes();
    }

    /** Section 6, a denial. */
    public static byte[] deny(String requestId, String holderId, long decidedAt) {
        return Encoding.tagged("idstream/v1/deny").lp(requestId).lp(holderId).u64(decidedAt).toBytes();
    }

    /** Section 6, a grant's revocation by its holder. */
    public static byte[] revoke(String grantId, String holderId, long revokedAt) {
        return Encoding.tagged("idstream/v1/revoke").lp(grantId).lp(holderId).u64(revokedAt).toBytes();
    }

    /** Section 6, a credential's erasure by its holder. */
    public static byte[] erase(String credentialId, String holderId, long erasedAt) {
        return Encoding.tagged("idstream/v1/erase").lp(credentialId).lp(holderId).u64(erasedAt).toBytes();
    }

    /** Section 6, a credential's revocation by its issuer. */
    public static byte[] credentialRevoke(String credentialId, String issuerId, String reason, long revokedAt) {
        return Encoding.tagged("idstream/v1/credential-revoke").lp(credentialId).lp(issuerId).lp(reason).u64(revokedAt)
                .toBytes();
    }

    /** Section 7, a registration. */
    public static byte[] principal(PrincipalStatement principal) {
        return Encoding.tagged("idstream/v1/principal").lp(principal.id()).lp(principal.role())
                .lp(principal.signingKey())
                .lp(principal.encryptionKey()).lp(principal.displayName()).u64(principal.registeredAt()).toBytes();
    }

    /** Section 7, an accreditation. */
    public static byte[] accreditation(AccreditationStatement accreditation) {
        return Encoding.tagged("idstream/v1/accredit").lp(accreditation.id()).lp(accreditation.role())
                .lp(accreditation.signingKey()).u64(accreditation.accreditedAt()).toBytes();
    }

    /** Section 7, an accreditation's withdrawal. */
    public static byte[] withdrawal(WithdrawalStatement withdrawal) {
        return Encoding.tagged("idstream/v1/withdraw").lp(withdrawal.id()).lp(withdrawal.role())
                .lp(withdrawal.signingKey()).u64(withdrawal.withdrawnAt()).toBytes();
    }

    /** Section 6a, a write grant. */
    public static byte[] writeGrant(WriteGrantStatement grant) {
        List<String> types = inProtocolOrder(grant.credentialTypes());
        Encoding tbs = Encoding.tagged("idstream/v1/write-grant")
                .lp(grant.writeGrantId()).lp(grant.holderId()).lp(grant.issuerId()).lp(grant.consentRequestId())
                .u64(grant.issuedAt()).u64(grant.expiresAt())
                .u32(types.size());
        types.forEach(tbs::lp);
        return tbs.toBytes();
    }

    /** Section 6a, a write grant's revocation by its holder. */
    public static byte[] writeGrantRevoke(String writeGrantId, String holderId, long revokedAt) {
        return Encoding.tagged("idstream/v1/write-grant-revoke").lp(writeGrantId).lp(holderId).u64(revokedAt)
                .toBytes();
    }

    /** Section 6a, an issuer's consent request. */
    public static byte[] consentRequest(ConsentRequestStatement request) {
        List<String> types = inProtocolOrder(request.credentialTypes());
        Encoding tbs = Encoding.tagged("idstream/v1/consent-request")
                .lp(request.consentRequestId()).lp(request.issuerId()).lp(request.holderId()).lp(request.purpose())
                .u64(request.createdAt())
                .u32(types.size());
        types.forEach(tbs::lp);
        return tbs.toBytes();
    }

    /** Section 6b, a credential key re-sealed by its holder. */
    public static byte[] rekey(RekeyStatement rekey) {
        byte[] sealedDigest = sha256(Encoding.untagged().lp(rekey.holderKeyEnc()).lp(rekey.holderKeyCiphertext())
                .toBytes());
        return Encoding.tagged("idstream/v1/rekey").lp(rekey.credentialId()).lp(rekey.holderId())
                .lp(rekey.encryptionKey()).lp(sealedDigest).u64(rekey.rekeyedAt()).toBytes();
    }

    /** A list of credential types sorted as section 6a writes it; its shape is the signer's and verifier's check. */
    static List<String> inProtocolOrder(List<String> types) {
        return types.stream().sorted(Encoding.NAME_ORDER).toList();
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
