package io.idstream.cli.client;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.sdk.IdstreamException;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The passphrase of encrypted private keys: the environment variable {@value #ENVIRONMENT_VARIABLE} when it is set
 * (for scripts), otherwise a prompt on the terminal that does not echo. It is never an option, so it never shows in
 * a process list or a shell history, and never printed.
 */
public final class KeyPassphrase {
    public static final String ENVIRONMENT_VARIABLE = "IDSTREAM_KEY_PASSPHRASE";

    private KeyPassphrase() {
    }

    /** Asks, only when called, for the passphrase that opens {@code what} ("the keys of 'alice'"). */
    public static Supplier<char[]> toOpen(String what) {
        return () -> {
            char[] fromEnvironment = fromEnvironment();
            if (fromEnvironment != null) {
                return fromEnvironment;
            }
            Console console = System.console();
            if (console == null) {
                throw new IdstreamException(what + ": encrypted, and there is no terminal to ask for the "
                        + "passphrase on: set " + ENVIRONMENT_VARIABLE);
            }
            char[] passphrase = console.readPassword("Passphrase for %s: ", what);
            if (passphrase == null || passphrase.length == 0) {
                throw new IdstreamException("no passphrase given for " + what);
            }
            return passphrase;
        };
    }

    /** The new passphrase for {@code what}: from the environment, or typed twice on the terminal. */
    static char[] toEncrypt(String what) {
        char[] fromEnvironment = fromEnvironment();
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Console console = System.console();
        if (console == null) {
            throw new IdstreamException("--encrypt needs a passphrase: set " + ENVIRONMENT_VARIABLE
                    + " (there is no terminal to ask on)");
        }
        char[] first = console.readPassword("New passphrase for %s: ", what);
        char[] second = console.readPassword("The same passphrase again: ");
        try {
            if (first == null || first.length == 0) {
                throw new IdstreamException("an empty passphrase encrypts nothing: " + what + " not made");
            }
            if (!Arrays.equals(first, second)) {
                throw new IdstreamException("the two passphrases differ: " + what + " not made");
            }
            return first.clone();
        } finally {
            clear(first);
            clear(second);
        }
    }

    /** The Ed25519 key in {@code file}, plain or encrypted (then opened with the passphrase as above). */
    public static SigningKeyPair signingKey(Path file, String what) {
        String pem;
        try {
            pem = PrivateKeyFile.read(file);
        } catch (IOException e) {
            throw new IdstreamException("cannot read " + what + " " + file + ": " + e.getMessage());
        } catch (CryptoException e) {
            throw new IdstreamException(what + " is refused: " + e.getMessage());
        }
        char[] passphrase = PrivateKeyFile.isEncrypted(pem) ? toOpen(what + " " + file).get() : null;
        try {
            return SigningKeyPair.fromPem(pem, passphrase);
        } catch (CryptoException e) {
            throw new IdstreamException(what + " " + file + " is unusable: " + e.getMessage());
        } finally {
            clear(passphrase);
        }
    }

    static void clear(char[] passphrase) {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static char[] fromEnvironment() {
        String value = System.getenv(ENVIRONMENT_VARIABLE);
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }
}
