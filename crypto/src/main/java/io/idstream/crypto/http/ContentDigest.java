package io.idstream.crypto.http;

import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.Item;
import io.idstream.crypto.http.StructuredFields.MalformedField;
import io.idstream.crypto.http.StructuredFields.Member;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The RFC 9530 {@code Content-Digest} header with its {@code sha-256} algorithm, as docs/protocol.md section 16
 * uses it: the digest of the request body's bytes as sent (no content coding is applied by idstream clients).
 */
public final class ContentDigest {
    static final String SHA_256 = "sha-256";

    private ContentDigest() {
    }

    /** {@code sha-256=:<base64 of SHA-256(body)>:} */
    public static String sha256(byte[] body) {
        return SHA_256 + "=:" + Base64.getEncoder().encodeToString(digest(body)) + ":";
    }

    /**
     * Whether the header, an RFC 8941 dictionary that may name other algorithms too, has a {@code sha-256} member
     * equal to the body's digest. Other algorithms are ignored; a header without a {@code sha-256} member, or one
     * that is no dictionary (repeated keys and non-canonical base64 included), does not match.
     */
    public static boolean matches(String headerValue, byte[] body) {
        try {
            return sha256Matches(parse(headerValue), body);
        } catch (MalformedField e) {
            return false;
        }
    }

    /**
     * The header as the signature covers it, with leading and trailing SP and HTAB removed (docs/protocol.md
     * section 16), read as an RFC 8941 dictionary.
     */
    static Map<String, Member> parse(String headerValue) throws MalformedField {
        if (headerValue == null) {
            throw new MalformedField("no field");
        }
        return StructuredFieldParser.parseDictionary(SignatureBase.stripOws(headerValue));
    }

    static boolean sha256Matches(Map<String, Member> dictionary, byte[] body) {
        return dictionary.get(SHA_256) instanceof Item item && item.value() instanceof ByteSequence digest
                && MessageDigest.isEqual(digest.bytes(), digest(body));
    }

    private static byte[] digest(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
