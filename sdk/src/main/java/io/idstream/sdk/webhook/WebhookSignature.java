package io.idstream.sdk.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The webhook's signature header, {@value #HEADER}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the HMAC keyed
 * with the shared secret's UTF-8 bytes over {@code <t> "." <body>}. Signing the time with the body lets a receiver
 * refuse a replayed POST once it is older than its tolerance. A header may carry several {@code v1} values (one per
 * secret while a secret is being rotated); one match is enough.
 */
public final class WebhookSignature {
    public static final String HEADER = "Idstream-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    /** Checks the header against the body, the secret and the time; throws a {@link WebhookRejectedException}. */
    public static void verify(String header, byte[] body, String secret, Duration tolerance, Instant now) {
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException("the " + HEADER + " header is missing");
        }
        Long timestamp = null;
        java.util.List<byte[]> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new WebhookRejectedException("the " + HEADER + " header is malformed");
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            try {
                if (name.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (name.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) {
                throw new WebhookRejectedException("the " + HEADER + " header is malformed");
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new WebhookRejectedException("the " + HEADER + " header needs t= and v1=");
        }
        long age = now.getEpochSecond() - timestamp;
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw new WebhookRejectedException("the signature's time is " + age + " s from now, outside the "
                    + tolerance.toSeconds() + " s tolerance");
        }
        byte[] expected = hmac(secret, timestamp, body);
        for (byte[] signature : signatures) {
            if (MessageDigest.isEqual(expected, signature)) {
                return;
            }
        }
        throw new WebhookRejectedException("the signature does not match the body and secret");
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
