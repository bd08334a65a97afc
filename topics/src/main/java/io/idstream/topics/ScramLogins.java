package io.idstream.topics;

import org.apache.kafka.common.security.scram.ScramLoginModule;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The logins of a secure cluster, all SCRAM-SHA-512 (the broker's super user and each principal {@link AclPolicy}
 * grants rights to): the client's JAAS line, and new passwords.
 */
public final class ScramLogins {
    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramLogins() {
    }

    /** The {@code sasl.jaas.config} line of a client that logs in as {@code user}. */
    public static String jaas(String user, String password) {
        return ScramLoginModule.class.getName() + " required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** A new random password: 192 bits, base64url without padding. */
    public static String newPassword() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
