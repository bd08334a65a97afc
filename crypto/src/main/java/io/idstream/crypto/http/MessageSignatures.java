package io.idstream.crypto.http;

import io.idstream.crypto.Identifiers;
import io.idstream.crypto.Signatures;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.DictionaryMember;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import io.idstream.crypto.http.StructuredFields.MalformedField;
import io.idstream.crypto.http.StructuredFields.Member;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Signs and verifies a holder's HTTP request as docs/protocol.md section 16 says: an RFC 9421 signature labelled
 * {@value #LABEL}, Ed25519, over {@code "@method" "@target-uri"} and, when the request has a body,
 * {@code "content-digest"}, with the parameters {@code created}, {@code nonce}, {@code keyid} and {@code alg}.
 * A client calls {@link #sign} and sends the three headers; a server calls {@link #verify}, which either returns who
 * signed or throws a {@link SignatureRefused} with a stable code. Remembering nonces is the server's own business.
 */
public final class MessageSignatures {
    public static final String LABEL = "sig1";
    public static final String ALGORITHM = "ed25519";
    public static final String SIGNATURE_INPUT = "signature-input";
    public static final String SIGNATURE = "signature";
    public static final String CONTENT_DIGEST = "content-digest";

    private static final List<String> WITHOUT_BODY = List.of("@method", "@target-uri");
    private static final List<String> WITH_BODY = List.of("@method", "@target-uri", CONTENT_DIGEST);
    private static final List<String> PARAMETERS = List.of("created", "nonce", "keyid", "alg");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final long MAX_CREATED = 999_999_999_999_999L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageSignatures() {
    }

    /** The headers that carry a request's signature; {@code contentDigest} is null for a request without a body. */
    public record SignedHeaders(String signatureInput, String signature, String contentDigest) {
    }

    /** Who signed a verified request, when and with which nonce (which the caller checks for replay). */
    public record Verified(String keyId, long created, String nonce) {
    }

    /**
     * Signs a request as docs/protocol.md section 16 says: components {@code "@method" "@target-uri"} and, when the
     * body is non-empty, {@code "content-digest"}; parameters created, nonce, keyid, alg="ed25519". An empty body
     * counts as none, since a server cannot tell the two apart.
     */
    public static SignedHeaders sign(SigningKeyPair key, String keyId, String method, URI targetUri, byte[] bodyOrNull,
                                     long createdEpochSeconds, String nonce) {
        String contentDigest = hasBody(bodyOrNull) ? ContentDigest.sha256(bodyOrNull) : null;
        InnerList covered = covered(contentDigest != null, createdEpochSeconds, nonce, keyId);
        byte[] base = SignatureBase.of(covered, new SignatureBase.Request(method, targetUri,
                name -> CONTENT_DIGEST.equals(name) ? contentDigest : null));
        Item signature = new Item(new ByteSequence(key.sign(base)), Map.of());
        return new SignedHeaders(LABEL + "=" + StructuredFields.serialize(covered),
                LABEL + "=" + StructuredFields.serialize(signature), contentDigest);
    }

    /** The signature base that {@link #sign} signs, for the protocol vectors. */
    static byte[] signatureBase(String keyId, String method, URI targetUri, String contentDigestOrNull,
                                long createdEpochSeconds, String nonce) {
        InnerList covered = covered(contentDigestOrNull != null, createdEpochSeconds, nonce, keyId);
        return SignatureBase.of(covered, new SignatureBase.Request(method, targetUri,
                name -> CONTENT_DIGEST.equals(name) ? contentDigestOrNull : null));
    }

    /** A fresh random nonce: 128 bits, base64url without padding. */
    public static String newNonce() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    /**
     * The first second at which a server may forget the nonce of a request signed at {@code createdEpochSeconds}: one
     * past the last second at which {@link #verify} accepts it, so that a replay at the edge of the window is still
     * refused (docs/protocol.md section 16).
     */
    public static long nonceExpiry(long createdEpochSeconds, long maxSkewSeconds) {
        return createdEpochSeconds + maxSkewSeconds + 1;
    }

    /**
     * The keyid of the request's {@value #LABEL} signature, read without verifying anything (to route a request);
     * empty when the header is absent or malformed, or the keyid is not a principal id: the same reading of
     * {@code Signature-Input} as {@link #verify}'s, so that a request is routed by the keyid it is verified for.
     */
    public static Optional<String> keyIdOf(Function<String, String> header) {
        Objects.requireNonNull(header, "header");
        try {
            DictionaryMember input = sig1(header.apply(SIGNATURE_INPUT), "Signature-Input");
            if (input != null && coveredAsSent(input).params().get("keyid") instanceof String keyId
                    && Identifiers.PRINCIPAL_ID.matcher(keyId).matches()) {
                return Optional.of(keyId);
            }
        } catch (SignatureRefused e) {
            // A malformed header has no keyid to route by; verify() refuses it with its reason.
        }
        return Optional.empty();
    }

    /**
     * Verifies the {@value #LABEL} signature of a request and enforces docs/protocol.md section 16: exactly the
     * required components in their order ({@code content-digest} iff the body is non-empty), a {@code Signature-Input}
     * member in canonical form and no repeated key, exactly the parameters created, nonce (1 to 128 characters of the
     * base64url alphabet), keyid (a principal id) and alg="ed25519", created within
     * {@code maxSkewSeconds} of {@code nowEpochSeconds} either way, and a {@code Content-Digest} that matches the body.
     *
     * @param header      a request header's value by its name, case-insensitive; null when absent; several lines
     *                    joined by ", "
     * @param publicKeyOf the Ed25519 public key (32 bytes) bound to a keyid; empty when the keyid is unknown
     * @throws SignatureRefused    with the code of the first check that fails; nothing else for any request data
     * @throws NullPointerException naming the argument that is null (a null header value is an absent header)
     */
    public static Verified verify(String method, URI targetUri, Function<String, String> header, byte[] bodyOrNull,
                                  Function<String, Optional<byte[]>> publicKeyOf, long nowEpochSeconds,
                                  long maxSkewSeconds) throws SignatureRefused {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUri, "targetUri");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(publicKeyOf, "publicKeyOf");
        DictionaryMember input = sig1(header.apply(SIGNATURE_INPUT), "Signature-Input");
        DictionaryMember signature = sig1(header.apply(SIGNATURE), "Signature");
        if (input == null && signature == null) {
            throw new SignatureRefused(SignatureRefused.MISSING_SIGNATURE, "the request has no " + LABEL + " signature");
        }
        if (input == null || signature == null) {
            throw malformed("Signature-Input and Signature do not both have " + LABEL);
        }
        InnerList covered = coveredAsSent(input);
        if (!(signature.member() instanceof Item item && item.value() instanceof ByteSequence signatureBytes)) {
            throw malformed("Signature " + LABEL + " is not a byte sequence");
        }
        boolean hasBody = hasBody(bodyOrNull);
        checkComponents(covered, hasBody ? WITH_BODY : WITHOUT_BODY);
        Map<String, Object> params = covered.params();
        if (!params.keySet().equals(Set.copyOf(PARAMETERS))) {
            throw malformed("the parameters are " + HostileText.excerpt(String.join(" ", params.keySet()))
                    + ", expected " + String.join(" ", PARAMETERS));
        }
        if (!(params.get("created") instanceof Long created) || created < 0) {
            throw malformed("created is not a non-negative integer");
        }
        if (!(params.get("nonce") instanceof String nonce) || !NONCE.matcher(nonce).matches()) {
            throw malformed("nonce is not a string of 1 to 128 base64url characters");
        }
        if (!(params.get("keyid") instanceof String keyId) || !Identifiers.PRINCIPAL_ID.matcher(keyId).matches()) {
            throw malformed("keyid" + (params.get("keyid") instanceof String text ? " \"" + HostileText.excerpt(text)
                    + "\"" : "") + " is not a principal id string");
        }
        if (!ALGORITHM.equals(params.get("alg"))) {
            throw malformed("alg is not \"" + ALGORITHM + "\"");
        }
        Map<String, Member> digests = hasBody ? contentDigest(header.apply(CONTENT_DIGEST)) : null;
        if (Math.abs(nowEpochSeconds - created) > maxSkewSeconds) {
            throw new SignatureRefused(SignatureRefused.STALE_SIGNATURE, "created is " + (nowEpochSeconds - created)
                    + " s from now, more than " + maxSkewSeconds + " s");
        }
        byte[] publicKey = Objects.requireNonNull(publicKeyOf.apply(keyId), "publicKeyOf returned null")
                .orElseThrow(() -> new SignatureRefused(SignatureRefused.UNKNOWN_HOLDER, "keyid " + keyId
                        + " has no key"));
        if (hasBody && (digests == null || !ContentDigest.sha256Matches(digests, bodyOrNull))) {
            throw new SignatureRefused(SignatureRefused.DIGEST_MISMATCH,
                    "Content-Digest is absent or has no sha-256 equal to the body's");
        }
        byte[] base;
        try {
            base = SignatureBase.of(covered, new SignatureBase.Request(method, targetUri, header));
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        if (!Signatures.isValid(publicKey, base, signatureBytes.bytes())) {
            throw new SignatureRefused(SignatureRefused.BAD_SIGNATURE, "the signature does not verify under " + keyId
                    + "'s key");
        }
        return new Verified(keyId, created, nonce);
    }

    private static InnerList covered(boolean withBody, long created, String nonce, String keyId) {
        if (created < 0 || created > MAX_CREATED) {
            throw new IllegalArgumentException("created is out of range: " + created);
        }
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("the nonce is not 1 to 128 base64url characters");
        }
        Identifiers.requirePrincipalId("keyid", keyId);
        List<Item> components = new ArrayList<>();
        (withBody ? WITH_BODY : WITHOUT_BODY).forEach(name -> components.add(new Item(name, Map.of())));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("created", created);
        params.put("nonce", nonce);
        params.put("keyid", keyId);
        params.put("alg", ALGORITHM);
        return new InnerList(List.copyOf(components), params);
    }

    private static void checkComponents(InnerList covered, List<String> expected) throws SignatureRefused {
        List<Object> names = new ArrayList<>();
        for (Item component : covered.items()) {
            if (!component.params().isEmpty()) {
                throw malformed("a covered component has parameters");
            }
            names.add(component.value());
        }
        if (!names.equals(expected)) {
            throw malformed("the signature covers " + covered.items().size() + " components that are not "
                    + String.join(" ", expected));
        }
    }

    /** The {@value #LABEL} member of a header; null when the header is absent or has none. */
    private static DictionaryMember sig1(String header, String name) throws SignatureRefused {
        if (header == null) {
            return null;
        }
        try {
            return StructuredFieldParser.parseDictionaryAsSent(header).get(LABEL);
        } catch (MalformedField e) {
            throw malformed(name + " is not a structured dictionary: " + e.getMessage());
        }
    }

    /**
     * The covered components and parameters, only when the member is exactly their canonical serialization: the
     * {@code @signature-params} line is rebuilt from them, and must be the bytes the client sent.
     */
    private static InnerList coveredAsSent(DictionaryMember input) throws SignatureRefused {
        if (!(input.member() instanceof InnerList covered)) {
            throw malformed("Signature-Input " + LABEL + " is not an inner list");
        }
        if (!StructuredFields.serialize(covered).equals(input.text())) {
            throw malformed("Signature-Input " + LABEL + " is not in the canonical form of RFC 8941");
        }
        return covered;
    }

    /** The Content-Digest dictionary; null when the header is absent. */
    private static Map<String, Member> contentDigest(String header) throws SignatureRefused {
        if (header == null) {
            return null;
        }
        try {
            return ContentDigest.parse(header);
        } catch (MalformedField e) {
            throw malformed("Content-Digest is not a structured dictionary: " + e.getMessage());
        }
    }

    private static boolean hasBody(byte[] bodyOrNull) {
        return bodyOrNull != null && bodyOrNull.length > 0;
    }

    private static SignatureRefused malformed(String message) {
        return new SignatureRefused(SignatureRefused.MALFORMED_SIGNATURE, message);
    }

    /** Why a request's signature was refused: {@link #code()} is one of the codes of docs/protocol.md section 16. */
    public static final class SignatureRefused extends Exception {
        public static final String MISSING_SIGNATURE = "missing-signature";
        public static final String MALFORMED_SIGNATURE = "malformed-signature";
        public static final String UNKNOWN_HOLDER = "unknown-holder";
        public static final String BAD_SIGNATURE = "bad-signature";
        public static final String STALE_SIGNATURE = "stale-signature";
        public static final String DIGEST_MISMATCH = "digest-mismatch";
        private static final long serialVersionUID = 1L;

        private final String code;

        public SignatureRefused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
