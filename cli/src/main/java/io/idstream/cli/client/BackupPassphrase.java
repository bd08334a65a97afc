package io.idstream.cli.client;

import io.idstream.sdk.IdstreamException;

import java.io.Console;
import java.util.Arrays;

/**
 * The passphrase that seals a key backup (docs/protocol.md section 17): the environment variable
 * {@value #ENVIRONMENT_VARIABLE} when set (for scripts), otherwise typed on the terminal without echo, twice when a
 * backup is made. Like the key passphrase it is never an option, so it stays out of process lists and shell history,
 * and it is never printed or logged. It is another secret than {@link KeyPassphrase}'s: a backup must open on a
 * machine that has no key file at all.
 */
final class BackupPassphrase {
    static final String ENVIRONMENT_VARIABLE = "IDSTREAM_BACKUP_PASSPHRASE";

    private BackupPassphrase() {
    }

    /** The passphrase a new backup of {@code id}'s keys is sealed under. */
    static char[] toSeal(String id) {
        char[] fromEnvironment = fromEnvironment();
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Console console = terminal();
        char[] first = console.readPassword("Backup passphrase for '%s' (12 characters or more): ", id);
        char[] second = console.readPassword("The same passphrase again: ");
        try {
            if (first == null || first.length == 0) {
                throw new IdstreamException("no passphrase given: no backup of '" + id + "' made");
            }
            if (!Arrays.equals(first, second)) {
                throw new IdstreamException("the two passphrases differ: no backup of '" + id + "' made");
            }
            return first.clone();
        } finally {
            KeyPassphrase.clear(first);
            KeyPassphrase.clear(second);
        }
    }

    /** The passphrase that opens a backup of {@code id}'s keys; a mistyped one fails as a wrong passphrase. */
    static char[] toOpen(String id) {
        char[] fromEnvironment = fromEnvironment();
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        char[] passphrase = terminal().readPassword("Backup passphrase for '%s': ", id);
        if (passphrase == null || passphrase.length == 0) {
            throw new IdstreamException("no passphrase given: the keys of '" + id + "' not recovered");
        }
        return passphrase;
    }

    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            throw new IdstreamException("a backup needs its passphrase: set " + ENVIRONMENT_VARIABLE
                    + " (there is no terminal to ask on)");
        }
        return console;
    }

    private static char[] fromEnvironment() {
        String value = System.getenv(ENVIRONMENT_VARIABLE);
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }
}
