package io.idstream.cli.wallet;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The wallet's secret for one start, as Jupyter's token: 256 random bits that appear in the URL the wallet prints and
 * nowhere else. Opening that URL trades the secret for an HttpOnly, SameSite=Strict cookie, which the page's script
 * cannot read and no other site's page can make the browser send; every other request must carry the cookie. Any
 * process on this computer reaches 127.0.0.1 as well as the holder's browser does, and sends the same {@code Host};
 * without the secret it gets nothing. Compared in constant time; never logged, and no {@code toString()} shows it.
 */
final class WalletSecret {
    /** The query parameter of the printed URL that carries the secret. */
    private static final String PARAMETER = "token";
    private static final int BYTES = 32;

    private final byte[] secret;
    private final String cookieName;

    /**
     * A fresh secret for the wallet on {@code port}. The cookie's name holds the port because cookies are not kept
     * apart by port: two wallets on one computer (two holders) would otherwise overwrite each other's.
     */
    WalletSecret(int port) {
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                .getBytes(StandardCharsets.US_ASCII);
        this.cookieName = "idstream-wallet-" + port;
    }

    /** The query of the URL to print, {@code token=…}: the one place the secret is shown. */
    String query() {
        return PARAMETER + "=" + new String(secret, StandardCharsets.US_ASCII);
    }

    /** The secret a request offers in its URL's query, if it offers one. */
    static Optional<String> offeredIn(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(PARAMETER + "=")) {
                return Optional.of(pair.substring(PARAMETER.length() + 1));
            }
        }
        return Optional.empty();
    }

    boolean matches(String offered) {
        // The offered value first: the comparison then takes as long as the offer is, whatever the secret.
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.US_ASCII), secret);
    }

    /** Whether one of the request's {@code Cookie} headers carries this wallet's cookie with the secret. */
    boolean carriedBy(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return false;
        }
        for (String header : cookieHeaders) {
            for (String cookie : header.split(";")) {
                String[] nameAndValue = cookie.strip().split("=", 2);
                if (nameAndValue.length == 2 && nameAndValue[0].equals(cookieName) && matches(nameAndValue[1])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code Set-Cookie} value that the printed URL is traded for: for this browser session only. */
    String setCookie() {
        return cookieName + "=" + new String(secret, StandardCharsets.US_ASCII) + "; Path=/; HttpOnly; "
                + "SameSite=Strict";
    }

    @Override
    public String toString() {
        return "WalletSecret[" + cookieName + "]";
    }
}
