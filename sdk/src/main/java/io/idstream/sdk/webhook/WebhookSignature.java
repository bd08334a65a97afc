package io.idstream.sdk.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The webhook's signature by the Standard Webhooks specification (https://www.standardwebhooks.com): {@code v1,}
 * then the base64 HMAC-SHA256, keyed with the {@link WebhookSecret}, over {@code <id> "." <timestamp> "." <body>}.
 * Signing the id and the attempt's time with the body lets a receiver refuse a replay once it is older than its
 * tolerance, and drop a repeat by id. The {@value WebhookHeaders#SIGNATURE} header may list several signatures,
 * space-separated (one per secret while a secret is rotated, or of other versions such as {@code v1a}); one matching
 * {@code v1} is enough. Since the three parts are joined by dots, an id must have none (the specification's rule).
 */
public final class WebhookSignature {
    public static final String VERSION = "v1";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The headers of a POST of {@code body} with this id, signed at {@code unixSeconds}. */
    public static WebhookHeaders sign(WebhookSecret secret, String id, long unixSeconds, byte[] body) {
        if (id == null || id.isEmpty() || id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook id must be non-empty and without '.': " + id);
        }
        String signature = VERSION + "," + Base64.getEncoder().encodeToString(hmac(secret, id, unixSeconds, body));
        return new WebhookHeaders(id, Long.toString(unixSeconds), signature);
    }

    /**
     * Checks the headers against the body, the secret and the time ({@code tolerance} either side of {@code now});
     * throws a {@link WebhookRejectedException} that says which check failed.
     */
    public static void verify(WebhookHeaders headers, byte[] body, WebhookSecret secret, Duration tolerance,
                              Instant now) {
        String id = require(headers.id(), WebhookHeaders.ID);
        String signatures = require(headers.signature(), WebhookHeaders.SIGNATURE);
        long timestamp = timestamp(require(headers.timestamp(), WebhookHeaders.TIMESTAMP));
        if (id.indexOf('.') >= 0) {
            throw new WebhookRejectedException("the " + WebhookHeaders.ID + " header is malformed: it contains '.'");
        }
        long age = now.getEpochSecond() - timestamp;
        if (age > tolerance.toSeconds()) {
            throw new WebhookRejectedException("the " + WebhookHeaders.TIMESTAMP + " is too old: " + age
                    + " s before now, beyond the " + tolerance.toSeconds() + " s tolerance");
        }
        if (-age > tolerance.toSeconds()) {
            throw new WebhookRejectedException("the " + WebhookHeaders.TIMESTAMP + " is too new: " + -age
                    + " s after now, beyond the " + tolerance.toSeconds() + " s tolerance");
        }
        byte[] expected = hmac(secret, id, timestamp, body);
        boolean anyV1 = false;
        boolean matched = false;
        for (String entry : signatures.strip().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma <= 0) {
                throw new WebhookRejectedException("the " + WebhookHeaders.SIGNATURE
                        + " header is malformed: each signature is <version>,<base64>");
            }
            if (!entry.substring(0, comma).equals(VERSION)) {
                continue;
            }
            anyV1 = true;
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                throw new WebhookRejectedException("the " + WebhookHeaders.SIGNATURE
                        + " header is malformed: a v1 signature is not base64");
            }
            // Constant time, so that the answer's timing does not tell how much of a forgery was right.
            matched |= MessageDigest.isEqual(expected, candidate);
        }
        if (!anyV1) {
            throw new WebhookRejectedException("the " + WebhookHeaders.SIGNATURE + " header has no " + VERSION
                    + " signature");
        }
        if (!matched) {
            throw new WebhookRejectedException("bad signature: none matches the id, timestamp, body and secret");
        }
    }

    private static String require(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new WebhookRejectedException("the " + header + " header is missing");
        }
        return value;
    }

    private static long timestamp(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new WebhookRejectedException("the " + WebhookHeaders.TIMESTAMP
                    + " header is malformed: not an integer of unix seconds");
        }
    }

    private static byte[] hmac(WebhookSecret secret, String id, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            mac.update((id + "." + unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
