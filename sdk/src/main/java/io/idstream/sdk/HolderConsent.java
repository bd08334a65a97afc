package io.idstream.sdk;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.CryptoException;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.WriteGrantRecords;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A holder's consent before issuance (docs/protocol.md section 6a): the write grants it signs for issuers, their
 * revocation, and the issuers' consent requests it is asked. What the gateway serves of these is checked here before
 * it is shown: a write grant only with this holder's own signature, a consent request only addressed to this holder,
 * from an issuer whose entry an operator key the holder pins accredits, with that issuer's valid signature. Others are
 * left out and reported ({@link HolderClient#skippedRecords()}).
 */
final class HolderConsent {
    private final Supplier<Identity> holder;
    private final HolderSource source;
    private final HolderChecks checks;

    HolderConsent(Supplier<Identity> holder, HolderSource source, HolderChecks checks) {
        this.holder = holder;
        this.source = source;
        this.checks = checks;
    }

    String allowIssuer(String issuerId, List<String> credentialTypes, Duration validFor, String consentRequestId) {
        if (validFor == null || validFor.isNegative() || validFor.isZero()) {
            throw new IdstreamException("a write grant needs a time it ends: consent to an issuer always ends");
        }
        try {
            checks.trusted(issuerId, "issuer");
        } catch (IdstreamException e) {
            throw new IdstreamException("no write grant to '" + issuerId + "': " + e.getMessage(), e);
        }
        Identity me = holder.get();
        long now = System.currentTimeMillis();
        WriteGrant grant;
        try {
            grant = WriteGrantRecords.writeGrant(me.signing(), UUID.randomUUID().toString(), me.id(), issuerId,
                    consentRequestId, credentialTypes, now, now + validFor.toMillis());
            WriteGrantRecords.checkShape(grant);
        } catch (CryptoException e) {
            throw new IdstreamException("no write grant to '" + issuerId + "': " + e.getMessage(), e);
        }
        source.decide(new DecisionEvent(grant));
        return grant.getWriteGrantId();
    }

    void disallowIssuer(String writeGrantId) {
        Identity me = holder.get();
        try {
            source.decide(new DecisionEvent(WriteGrantRecords.revocation(me.signing(), writeGrantId, me.id(),
                    System.currentTimeMillis())));
        } catch (CryptoException e) {
            throw new IdstreamException("write grant " + writeGrantId + " cannot be ended: " + e.getMessage(), e);
        }
    }

    int disallowIssuerAll(String issuerId) {
        List<WriteGrant> ofIssuer = writeGrants().stream().filter(g -> g.getIssuerId().equals(issuerId)).toList();
        ofIssuer.forEach(grant -> disallowIssuer(grant.getWriteGrantId()));
        return ofIssuer.size();
    }

    /** The write grants in force that carry this holder's signature under the key bound now, oldest first. */
    List<WriteGrant> writeGrants() {
        Identity me = holder.get();
        long now = System.currentTimeMillis();
        List<WriteGrant> served = source.writeGrants();
        List<WriteGrant> shown = new ArrayList<>();
        for (int i = 0; i < served.size(); i++) {
            WriteGrant grant = served.get(i);
            try {
                if (!grant.getHolderId().equals(me.id())) {
                    throw new CryptoException("it is another holder's");
                }
                WriteGrantRecords.verify(me.signing().publicKey(), grant);
            } catch (CryptoException e) {
                source.skip(new SkippedRecord(source.place("/write-grants"), 0, i, "write grant "
                        + grant.getWriteGrantId() + " does not carry a valid signature of '" + me.id() + "'"));
                continue;
            }
            if (grant.getExpiresAt() > now) {
                shown.add(grant);
            }
        }
        return shown;
    }

    /** The consent requests that verify as the class says, oldest first as the gateway serves them. */
    List<ConsentRequest> consentRequests() {
        List<ConsentRequest> served = source.consentRequests();
        Map<String, Optional<VerifiedPrincipal>> issuers = new HashMap<>();
        List<ConsentRequest> shown = new ArrayList<>();
        for (int i = 0; i < served.size(); i++) {
            ConsentRequest request = served.get(i);
            Optional<String> refusal = refusal(request, issuers);
            if (refusal.isPresent()) {
                source.skip(new SkippedRecord(source.place("/consent-requests"), 0, i, refusal.get()));
            } else {
                shown.add(request);
            }
        }
        return shown;
    }

    /** Why a consent request is not shown, or empty when it verifies. */
    private Optional<String> refusal(ConsentRequest request, Map<String, Optional<VerifiedPrincipal>> issuers) {
        String what = "consent request " + request.getConsentRequestId();
        String holderId = holder.get().id();
        if (!request.getHolderId().equals(holderId)) {
            return Optional.of(what + " is addressed to '" + request.getHolderId() + "', not to '" + holderId + "'");
        }
        String issuerId = request.getIssuerId();
        Optional<VerifiedPrincipal> issuer = issuers.computeIfAbsent(issuerId, source::principal);
        if (issuer.isEmpty()) {
            return Optional.of(what + " names issuer '" + issuerId + "', which is not in the directory");
        }
        if (!issuer.get().getPrincipal().getRole().equals("issuer")) {
            return Optional.of(what + " names '" + issuerId + "', which the directory holds as "
                    + issuer.get().getPrincipal().getRole() + ", not as issuer");
        }
        Optional<String> untrusted = checks.untrusted(issuer.get(), "issuer");
        if (untrusted.isPresent()) {
            return Optional.of(what + " is from an issuer this holder does not trust: " + untrusted.get());
        }
        try {
            WriteGrantRecords.verify(PrincipalRecords.signingKey(issuer.get().getPrincipal()), request);
        } catch (CryptoException e) {
            return Optional.of(what + " does not carry a valid signature of issuer '" + issuerId + "'");
        }
        return Optional.empty();
    }
}
