package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link HolderClient} checks of what its {@link HolderSource} serves before it shows it or uses its keys: a
 * pending request (docs/protocol.md section 12), and a consumer's or issuer's directory entry. The gateway serves
 * entries but is not trusted with keys, so an entry counts only with its principal's own registration signature and
 * an accreditation that one of the operator keys the holder pins signed ({@link ConsumerTrust#forHolder}).
 */
final class HolderChecks {
    private final String holderId;
    private final HolderSource source;
    /** The operator keys the holder pins, against which entries are checked. */
    private final ConsumerTrust trust;

    HolderChecks(String holderId, HolderSource source, ConsumerTrust trust) {
        this.holderId = holderId;
        this.source = source;
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /**
     * The pending requests the source serves that pass {@link #refusal}, as {@link #asShown} shows them; the others
     * reported to the source as skipped.
     */
    List<PendingRequest> inbox(Supplier<List<AccessAudit>> trail) {
        List<PendingRequest> pending = new ArrayList<>();
        Map<String, Optional<VerifiedPrincipal>> consumers = new HashMap<>();
        Map<String, StoredCredential> vault = null;
        for (HolderSource.Served served : source.pendingRequests(trail)) {
            AccessRequest asked = served.request().getRequest();
            Optional<VerifiedPrincipal> consumer = asked.getHolderId().equals(holderId)
                    ? consumers.computeIfAbsent(asked.getConsumerId(), source::principal) : Optional.empty();
            Optional<String> refusal = refusal(asked, consumer);
            if (refusal.isPresent()) {
                source.skip(new SkippedRecord(served.topic(), served.partition(), served.offset(), refusal.get()));
                continue;
            }
            if (vault == null) {
                vault = source.credentials();
            }
            pending.add(HolderChecks.asShown(served.request(), consumer.get(),
                    untrusted(consumer.get(), "consumer").isEmpty(), vault));
        }
        return pending;
    }

    /**
     * Why a request in the inbox is not shown: it is not addressed to this holder, or names a consumer that the
     * directory ({@code consumer}, its entry) does not hold as a consumer, or does not carry that consumer's valid
     * signature; empty when none of these.
     */
    Optional<String> refusal(AccessRequest request, Optional<VerifiedPrincipal> consumer) {
        String what = "request " + request.getRequestId();
        if (!request.getHolderId().equals(holderId)) {
            return Optional.of(what + " is addressed to '" + request.getHolderId() + "', not to '" + holderId + "'");
        }
        if (consumer.isEmpty()) {
            return Optional.of(what + " names consumer '" + request.getConsumerId()
                    + "', which is not in the directory");
        }
        String role = consumer.get().getPrincipal().getRole();
        if (!role.equals("consumer")) {
            return Optional.of(what + " names '" + request.getConsumerId() + "', which the directory holds as "
                    + role + ", not as consumer");
        }
        try {
            RequestRecords.verify(PrincipalRecords.signingKey(consumer.get().getPrincipal()), request);
        } catch (CryptoException e) {
            return Optional.of(what + " does not carry a valid signature of consumer '" + request.getConsumerId()
                    + "'");
        }
        return Optional.empty();
    }

    /**
     * Why the keys of a principal's directory entry are not to be used for it in {@code role}, or empty when they may.
     * They may only with the principal's own registration signature and an accreditation that a pinned operator key
     * signed.
     */
    Optional<String> untrusted(VerifiedPrincipal entry, String role) {
        return EarlierKeys.registrationProblem(trust.pinned(), entry, role)
                .or(() -> trust.accreditationProblem(entry.getPrincipal().getId(), role, entry));
    }

    /**
     * The credential's fields, decrypted here with {@code holderKey} and checked against the commitments its issuer
     * signed: the issuer trusted as {@link #trusted} says, its signature verified under the key bound now or under an
     * earlier key that counts for a credential issued then ({@link EarlierKeys#forCredential}).
     */
    Map<String, String> open(CredentialIssued credential, EncryptionKeyPair holderKey) {
        String what = "credential " + credential.getCredentialId() + " does not open: ";
        Credentials.IssuedCredential issued = CredentialRecords.fromAvro(credential);
        VerifiedPrincipal issuer;
        try {
            issuer = trusted(credential.getIssuerId(), "issuer");
        } catch (IdstreamException e) {
            throw new IdstreamException(what + e.getMessage(), e);
        }
        List<String> notCounted = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>(List.of(PrincipalRecords.signingKey(issuer.getPrincipal())));
        keys.addAll(EarlierKeys.forCredential(trust.pinned(), credential.getIssuerId(), issuer,
                credential.getIssuedAt(), notCounted));
        CryptoException refused = null;
        for (byte[] key : keys) {
            try {
                Credentials.verifyIssuerSignature(key, issued.header(), issued.commitments(),
                        issued.issuerSignature());
                refused = null;
                break;
            } catch (CryptoException e) {
                refused = refused == null ? e : refused;
            }
        }
        if (refused != null) {
            throw new IdstreamException(what + refused.getMessage()
                    + EarlierKeys.notCountedNote(credential.getIssuerId(), notCounted), refused);
        }
        try {
            return Credentials.open(holderKey, issued);
        } catch (CryptoException e) {
            throw new IdstreamException(what + e.getMessage(), e);
        }
    }

    /** A principal in {@code role} whose keys this holder may use, or a refusal naming what is wrong. */
    VerifiedPrincipal trusted(String id, String role) {
        VerifiedPrincipal entry = source.principal(id).orElseThrow(() -> new IdstreamException("'" + id
                + "' is not registered"));
        if (!entry.getPrincipal().getRole().equals(role)) {
            throw new IdstreamException("'" + id + "' is registered as " + entry.getPrincipal().getRole() + ", not "
                    + role);
        }
        untrusted(entry, role).ifPresent(problem -> {
            throw new IdstreamException(problem + "; its keys are not bound to '" + id + "' by any operator key "
                    + "this holder pins");
        });
        return entry;
    }

    /**
     * The pending request as the holder is shown it: the consumer's name and accreditation from its directory entry,
     * the resolved credential's type and issuer from the vault; a credential that is not in the vault, or is not the
     * one the request asks for, is shown as none (nothing to approve with).
     */
    static PendingRequest asShown(PendingRequest pending, VerifiedPrincipal consumer, boolean accredited,
                                  Map<String, StoredCredential> vault) {
        AccessRequest request = pending.getRequest();
        PendingRequest.Builder shown = PendingRequest.newBuilder(pending)
                .setConsumerDisplayName(consumer.getPrincipal().getDisplayName())
                .setConsumerAccredited(accredited);
        StoredCredential resolved = vault.get(pending.getCredentialId());
        boolean answersTheRequest = resolved != null
                && (request.getCredentialId().isEmpty()
                        || request.getCredentialId().equals(resolved.getCredential().getCredentialId()))
                && (request.getCredentialType().isEmpty()
                        || request.getCredentialType().equals(resolved.getCredential().getType()));
        if (answersTheRequest) {
            shown.setCredentialType(resolved.getCredential().getType())
                    .setIssuerId(resolved.getCredential().getIssuerId());
        } else {
            shown.setCredentialId("").setCredentialType(request.getCredentialType()).setIssuerId("");
        }
        return shown.build();
    }
}
