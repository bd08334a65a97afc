package io.idstream.sdk;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.Principal;
import io.idstream.avro.Revocation;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.PrincipalRecords;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a consumer trusts of a delivery event besides the signatures the {@link DeliveryVerifier} checks
 * (docs/protocol.md section 8): an issuer only if one of the operator keys the consumer pins accredited it, the
 * accreditation's signature checked here rather than taken from the verified directory; a credential, and a grant,
 * only until it expires by the consumer's clock; a notice that ends access only with the holder's or issuer's signed
 * statement.
 * Keys and roles come from the verified directory, whatever the platform says besides. A holder on the gateway
 * checks the consumers and issuers it reads there the same way ({@link #forHolder}). Thread-safe.
 */
public final class ConsumerTrust {
    /**
     * The notices that end access, which must carry the signed record that ended it. The others carry the processors'
     * word alone: PENDING, EXPIRED, ISSUER_NOT_ACCREDITED, and KEY_CHANGED (a grant ended because the holder's or this
     * consumer's key is no longer the one bound; the directory shows which, docs/protocol.md section 11).
     */
    private static final Set<NoticeKind> SIGNED_NOTICES = Set.of(NoticeKind.DENIED, NoticeKind.REVOKED, NoticeKind.ERASED,
            NoticeKind.CREDENTIAL_REVOKED);

    private final PinnedAccreditations pinned;

    ConsumerTrust(List<byte[]> operatorKeys) {
        this(operatorKeys, "consumer");
    }

    private ConsumerTrust(List<byte[]> operatorKeys, String pinnedBy) {
        this.pinned = new PinnedAccreditations(operatorKeys, pinnedBy);
    }

    /** The pinned operator keys, as the checks of earlier keys take them ({@link EarlierKeys}). */
    PinnedAccreditations pinned() {
        return pinned;
    }

    /**
     * A holder's trust in the consumers and issuers it reads from the holder gateway: their keys count only under an
     * accreditation one of {@code operatorKeys} (Ed25519, 32 bytes each; {@link #operatorKeys(Properties)}) signed.
     */
    public static ConsumerTrust forHolder(List<byte[]> operatorKeys) {
        return new ConsumerTrust(operatorKeys, "holder");
    }

    /**
     * The operator keys {@code idstream.operator.keys} pins: comma-separated, each 64 hex digits, as the processors
     * take them; none when the setting is absent (every delivery is then refused).
     */
    public static List<byte[]> operatorKeys(Properties properties) {
        return OperatorKeys.pinned(properties);
    }

    /**
     * One delivery event as this consumer sees it at {@code now}: a delivery verified by {@code verifier} with the
     * keys {@code principals} hold, then checked for its issuer's accreditation and its credential's expiry; a notice
     * passed on, once its signed statement verifies if it ends access. A delivery naming a principal they do not
     * hold is refused as {@code STRUCTURE}, since there is no key to check it with.
     */
    DeliveryOutcome verify(DeliveryVerifier verifier, PrincipalLookup principals, DeliveryEvent event, long now) {
        if (event.getEvent() instanceof ConsumerNotice notice) {
            return notice(principals, notice);
        }
        CredentialDelivery d = (CredentialDelivery) event.getEvent();
        Optional<VerifiedPrincipal> issuer = principals.find(d.getIssuerId());
        if (issuer.isEmpty()) {
            return unknown(d, "issuer", d.getIssuerId());
        }
        Optional<VerifiedPrincipal> holder = principals.find(d.getHolderId());
        if (holder.isEmpty()) {
            return unknown(d, "holder", d.getHolderId());
        }
        byte[] holderKey = PrincipalRecords.signingKey(holder.get().getPrincipal());
        DeliveryOutcome verified = verify(verifier, d, PrincipalRecords.signingKey(issuer.get().getPrincipal()),
                holderKey);
        if (verified instanceof DeliveryOutcome.Refused refused && refused.failedCheck() == Check.ISSUER_SIGNATURE) {
            verified = underEarlierKey(verifier, d, issuer.get(), holderKey, refused);
        }
        if (!(verified instanceof DeliveryOutcome.Delivered)) {
            return verified;
        }
        Optional<String> unaccredited = accreditationProblem(d.getIssuerId(), "issuer", issuer.get());
        if (unaccredited.isPresent()) {
            return new DeliveryOutcome.Refused(d.getRequestId(), Check.ISSUER_ACCREDITATION, unaccredited.get());
        }
        if (d.getExpiresAt() != 0 && now >= d.getExpiresAt()) {
            return new DeliveryOutcome.Refused(d.getRequestId(), Check.CREDENTIAL_EXPIRED, "credential "
                    + d.getCredentialId() + " expired at " + d.getExpiresAt() + ", before this consumer's clock ("
                    + now + ")");
        }
        long grantExpiresAt = d.getGrant().getExpiresAt();
        if (grantExpiresAt != 0 && now >= grantExpiresAt) {
            return new DeliveryOutcome.Refused(d.getRequestId(), Check.GRANT_WINDOW, "grant "
                    + d.getGrant().getGrantId() + " expired at " + grantExpiresAt + ", before this consumer's clock ("
                    + now + ")");
        }
        return verified;
    }

    /**
     * The delivery verified under an earlier key of its issuer that counts for a credential issued when it was
     * ({@link EarlierKeys#forCredential}); the refusal under the current key, saying why no earlier key counts, if
     * none verifies.
     */
    private DeliveryOutcome underEarlierKey(DeliveryVerifier verifier, CredentialDelivery d, VerifiedPrincipal issuer,
                                            byte[] holderKey, DeliveryOutcome.Refused underCurrentKey) {
        List<String> notCounted = new ArrayList<>();
        for (byte[] earlier : EarlierKeys.forCredential(pinned, d.getIssuerId(), issuer, d.getIssuedAt(),
                notCounted)) {
            DeliveryOutcome outcome = verify(verifier, d, earlier, holderKey);
            if (!(outcome instanceof DeliveryOutcome.Refused refused)
                    || refused.failedCheck() != Check.ISSUER_SIGNATURE) {
                return outcome;
            }
        }
        return new DeliveryOutcome.Refused(underCurrentKey.requestId(), Check.ISSUER_SIGNATURE,
                underCurrentKey.reason() + EarlierKeys.notCountedNote(d.getIssuerId(), notCounted));
    }

    private static DeliveryOutcome unknown(CredentialDelivery d, String role, String id) {
        return new DeliveryOutcome.Refused(d.getRequestId(), Check.STRUCTURE,
                role + " '" + id + "' is not in the directory");
    }

    /** A delivery record verified, through the one mapping, with the issuer's and holder's signing keys. */
    static DeliveryOutcome verify(DeliveryVerifier verifier, CredentialDelivery d, byte[] issuerSigningKey,
                                  byte[] holderSigningKey) {
        DeliveryVerification result = verifier.verify(DeliveryRecords.toDelivery(d), issuerSigningKey,
                holderSigningKey);
        if (result instanceof DeliveryVerification.Verified verified) {
            return new DeliveryOutcome.Delivered(d.getRequestId(), d.getHolderId(), d.getIssuerId(),
                    d.getCredentialId(), d.getGrant().getGrantId(), verified.values());
        }
        DeliveryVerification.Rejected rejected = (DeliveryVerification.Rejected) result;
        return new DeliveryOutcome.Refused(d.getRequestId(), rejected.failedCheck(), rejected.reason());
    }

    /**
     * Why the entry does not show an accreditation of {@code id} in {@code role} (an issuer's, for a consumer) that a
     * pinned operator key signed for the signing key the entry binds to the id, not withdrawn since (docs/protocol.md
     * section 7); empty when it does.
     */
    Optional<String> accreditationProblem(String id, String role, VerifiedPrincipal entry) {
        Principal principal = entry.getPrincipal();
        Accreditation accreditation = entry.getAccreditation();
        if (!principal.getRole().equals(role)) {
            return Optional.of("'" + id + "' is registered as " + principal.getRole() + ", not " + role);
        }
        Optional<String> problem = pinned.problem(id, role, PrincipalRecords.signingKey(principal),
                "its current signing key", accreditation);
        if (problem.isPresent()) {
            return problem;
        }
        AccreditationWithdrawn withdrawal = entry.getWithdrawal();
        if (withdrawal != null && withdrawal.getWithdrawnAt() >= accreditation.getAccreditedAt()
                && withdrawal.getId().equals(id) && pinned.isPinnedSignature(withdrawal)) {
            return Optional.of("the accreditation of " + role + " '" + id + "' was withdrawn at "
                    + withdrawal.getWithdrawnAt());
        }
        return Optional.empty();
    }

    /** A notice as it came, or, for one that ends access without a valid signed statement, its refusal. */
    DeliveryOutcome notice(PrincipalLookup principals, ConsumerNotice notice) {
        if (SIGNED_NOTICES.contains(notice.getKind())) {
            Optional<String> problem = statementProblem(principals, notice);
            if (problem.isPresent()) {
                return new DeliveryOutcome.Refused(notice.getRequestId(), Check.NOTICE_STATEMENT,
                        notice.getKind() + " notice about " + subject(notice) + " " + problem.get());
            }
        }
        return new DeliveryOutcome.Notice(notice.getRequestId(), notice.getKind(), notice.getHolderId(),
                notice.getGrantId(), notice.getCredentialId(), notice.getReason());
    }

    /** What the notice is about: a request, or else a grant, or else a credential. */
    private static String subject(ConsumerNotice notice) {
        if (!notice.getRequestId().isEmpty()) {
            return "request " + notice.getRequestId();
        }
        return notice.getGrantId().isEmpty() ? "credential " + notice.getCredentialId()
                : "grant " + notice.getGrantId();
    }

    /** Why the notice's statement does not prove it (docs/protocol.md section 8), or empty when it does. */
    private Optional<String> statementProblem(PrincipalLookup principals, ConsumerNotice notice) {
        Object statement = notice.getStatement();
        if (statement == null) {
            return Optional.of("carries no signed statement");
        }
        String holderId = notice.getHolderId();
        NoticeKind kind = notice.getKind();
        if (kind == NoticeKind.DENIED && statement instanceof Denial denial) {
            return sameSubject("request", notice.getRequestId(), denial.getRequestId(), holderId, denial.getHolderId())
                    .or(() -> signedBy(principals, holderId, "holder", key -> DecisionRecords.verify(key, denial)));
        }
        if (kind == NoticeKind.REVOKED && statement instanceof Revocation revocation) {
            return sameSubject("grant", notice.getGrantId(), revocation.getGrantId(), holderId,
                    revocation.getHolderId())
                    .or(() -> signedBy(principals, holderId, "holder", key -> DecisionRecords.verify(key, revocation)));
        }
        if (kind == NoticeKind.ERASED && statement instanceof Erasure erasure) {
            return sameSubject("credential", notice.getCredentialId(), erasure.getCredentialId(), holderId,
                    erasure.getHolderId())
                    .or(() -> signedBy(principals, holderId, "holder", key -> DecisionRecords.verify(key, erasure)));
        }
        if (kind == NoticeKind.CREDENTIAL_REVOKED && statement instanceof CredentialRevoked revoked) {
            return sameSubject("credential", notice.getCredentialId(), revoked.getCredentialId(), holderId,
                    revoked.getHolderId())
                    .or(() -> revokedByAccreditedIssuer(principals, revoked));
        }
        return Optional.of("carries a " + statement.getClass().getSimpleName() + " as its statement, which does not "
                + "end access that way");
    }

    /** Whether the statement is about what the notice names, of the same holder. */
    private static Optional<String> sameSubject(String what, String noticeId, String statementId, String noticeHolder,
                                                String statementHolder) {
        if (noticeId.equals(statementId) && noticeHolder.equals(statementHolder)) {
            return Optional.empty();
        }
        return Optional.of("names " + what + " '" + noticeId + "' of '" + noticeHolder + "', its statement "
                + what + " '" + statementId + "' of '" + statementHolder + "'");
    }

    /** The issuer's revocation, signed by an issuer accredited by a pinned operator key. */
    private Optional<String> revokedByAccreditedIssuer(PrincipalLookup principals, CredentialRevoked revoked) {
        String issuerId = revoked.getIssuerId();
        Optional<VerifiedPrincipal> issuer = principals.find(issuerId);
        if (issuer.isEmpty()) {
            return Optional.of("is signed by issuer '" + issuerId + "', who is not in the directory");
        }
        Optional<String> unaccredited = accreditationProblem(issuerId, "issuer", issuer.get());
        if (unaccredited.isPresent()) {
            return unaccredited.map(problem -> "is signed by an issuer this consumer does not trust: " + problem);
        }
        return signedBy(principals, issuerId, "issuer", key -> DecisionRecords.verify(key, revoked));
    }

    /** Whether {@code verify} accepts the statement under the signing key the directory binds to {@code signerId}. */
    private static Optional<String> signedBy(PrincipalLookup principals, String signerId, String role,
                                             Consumer<byte[]> verify) {
        Optional<VerifiedPrincipal> signer = principals.find(signerId);
        if (signer.isEmpty()) {
            return Optional.of("is signed by " + role + " '" + signerId + "', who is not in the directory");
        }
        if (!signer.get().getPrincipal().getRole().equals(role)) {
            return Optional.of("is signed by '" + signerId + "', registered as " + signer.get().getPrincipal().getRole()
                    + ", not " + role);
        }
        try {
            verify.accept(PrincipalRecords.signingKey(signer.get().getPrincipal()));
        } catch (CryptoException e) {
            return Optional.of("carries a statement whose signature does not verify under " + role + " '" + signerId
                    + "''s key: " + e.getMessage());
        }
        return Optional.empty();
    }
}
