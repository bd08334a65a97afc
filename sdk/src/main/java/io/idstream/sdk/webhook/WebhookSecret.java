package io.idstream.sdk.webhook;

import java.util.Arrays;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret as operators hand it around, {@code whsec_<base64 key>}: the HMAC key is the
 * base64-decoded part, at least {@value #MIN_KEY_BYTES} bytes as the specification asks. Parse it once, at start, with
 * {@link #parse}; a refusal says what is wrong without repeating the secret, and {@link #toString()} hides the key.
 */
public final class WebhookSecret {
    public static final String PREFIX = "whsec_";
    /** The specification's floor (192 bits): a shorter key is guessable offline from one signed POST. */
    public static final int MIN_KEY_BYTES = 24;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /** Reads {@code whsec_<base64 key>}; an {@link IllegalArgumentException} names the problem, never the secret. */
    public static WebhookSecret parse(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the secret must be " + PREFIX + "<base64 key>, starting with "
                    + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character: a piece of the secret, so it is not passed on.
            throw new IllegalArgumentException("the key after " + PREFIX + " is not standard base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the key after " + PREFIX + " decodes to " + key.length
                    + " bytes; at least " + MIN_KEY_BYTES + " are needed (e.g. " + PREFIX
                    + "$(openssl rand -base64 32))");
        }
        return new WebhookSecret(key);
    }

    /** The HMAC key; a copy, so that no caller can change the secret. */
    byte[] key() {
        return Arrays.copyOf(key, key.length);
    }

    @Override
    public String toString() {
        return PREFIX + "[hidden]";
    }
}
