package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The participants' commands refuse bad options before they read a key or reach Kafka: exit code 2 and one line on
 * stderr that names the option; a missing identity is exit code 1. No broker runs here.
 */
@Timeout(30)
class ClientCommandUsageTest {
    @TempDir
    Path keys;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "identity|idstream identity: a subcommand is required, such as 'create'",
            "operator|idstream operator: a subcommand is required, such as 'accredit'",
            "identity create --role bad --id x|idstream identity create: --role must be holder, issuer or consumer, "
                    + "not 'bad'",
            "issue --issuer a --holder b --type t --field Bad=secret|idstream issue: --field 'Bad...' is not "
                    + "NAME=VALUE with a name of lowercase letters, digits and _",
            "issue --issuer a --holder b --type t --field a=1 --field a=2|idstream issue: --field a given twice",
            "approve --holder b --request r --expires 3x|idstream approve: --expires '3x' is not a number followed "
                    + "by s, m, h or d, nor 'never'",
            "approve --holder b --request r --uses -1|idstream approve: --uses must be a number from 1 to "
                    + "2147483647, or 'unlimited', not '-1'",
            "approve --holder b --request r --uses 0|idstream approve: --uses must be a number from 1 to "
                    + "2147483647, or 'unlimited', not '0'",
            "approve --holder b --request r --uses 2147483648|idstream approve: --uses must be a number from 1 to "
                    + "2147483647, or 'unlimited', not '2147483648'",
            "wallet --holder b --port 70000|idstream wallet: --port must be between 0 and 65535, not 70000",
            "consent|idstream consent: a subcommand is required, such as 'request'",
            "consent request --issuer a --holder b --type kyc --type kyc|idstream consent request: --type kyc given "
                    + "twice",
            "allow-issuer --holder b --issuer a --type kyc --days 0|idstream allow-issuer: --days must be from 1 to "
                    + "3650, not 0",
            "allow-issuer --holder b --issuer a --type kyc --days 3651|idstream allow-issuer: --days must be from 1 "
                    + "to 3650, not 3651",
            "allow-issuer --holder b --issuer a --type t1 --type t2 --type t3 --type t4 --type t5 --type t6 "
                    + "--type t7 --type t8 --type t9 --type t10 --type t11 --type t12 --type t13 --type t14 "
                    + "--type t15 --type t16 --type t17|idstream allow-issuer: --type given 17 times: at most 16 types",
            "issue --issuer a --holder b --type t --field a=1 --wait 0|idstream issue: --wait must be at least 1 "
                    + "second, not 0",
            "topics|idstream topics: a subcommand is required, such as 'grow'",
            "topics grow|idstream topics grow: Missing required option: '--partitions=N'",
            "topics grow --partitions twelve|idstream topics grow: Invalid value for option '--partitions': "
                    + "'twelve' is not an int",
            "topics grow --partitions 1|idstream topics grow: --partitions must be from 2 to 10000, not 1"})
    void badOptionsAreAUsageErrorOnOneLine(String commandLine, String message) {
        CliRun result = CliRun.of(args(commandLine));

        assertThat(result.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        String command = message.substring(0, message.indexOf(": "));
        assertThat(result.errLines()).containsExactly(message + " (see '" + command + " --help')");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aTypeLongerThanTheProtocolAllowsIsAUsageError() {
        CliRun result = CliRun.of(args("consent request --issuer a --holder b --type " + "k".repeat(129)));

        assertThat(result.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(result.errLines()).containsExactly("idstream consent request: --type must be 1 to 128 bytes, not "
                + "129 (see 'idstream consent request --help')");
    }

    @Test
    void exportAndBackupRefuseAFileThatExistsOrIsALinkBeforeReadingAKey() throws Exception {
        Path existing = Files.writeString(keys.resolve("existing.json"), "kept");
        Path link = Files.createSymbolicLink(keys.resolve("link.json"), keys.resolve("elsewhere.json"));

        CliRun overExisting = CliRun.of(args("export --holder nobody --out " + existing));
        CliRun throughLink = CliRun.of(args("export --holder nobody --out " + link));
        CliRun backupOverExisting = CliRun.of(args("identity backup --id nobody --file " + existing));

        assertThat(overExisting.exitCode()).as("exit code; stderr: %s", overExisting.err())
                .isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(overExisting.errLines()).containsExactly("idstream export: --out " + existing + " exists: name a "
                + "new file, nothing is overwritten (see 'idstream export --help')");
        assertThat(throughLink.exitCode()).as("exit code; stderr: %s", throughLink.err())
                .isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(throughLink.errLines()).containsExactly("idstream export: --out " + link + " is a symbolic link: "
                + "name a new file (see 'idstream export --help')");
        assertThat(backupOverExisting.exitCode()).as("exit code; stderr: %s", backupOverExisting.err())
                .isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(backupOverExisting.errLines()).containsExactly("idstream identity backup: --file " + existing
                + " exists: name a new file, nothing is overwritten (see 'idstream identity backup --help')");
        assertThat(Files.readString(existing)).isEqualTo("kept");
        assertThat(keys.resolve("elsewhere.json")).doesNotExist();
    }

    @Test
    void recoverRefusesAnIdWhoseKeysAreThereBeforeAskingThePassphrase() throws Exception {
        Files.createDirectories(keys.resolve("alice"));

        CliRun result = CliRun.of(args("identity recover --id alice"));

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err())
                .isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(result.errLines()).containsExactly("idstream identity recover: " + keys.resolve("alice")
                + " exists: recovering would replace the keys of 'alice'; move it away first");
    }

    @Test
    void aMissingIdentityFailsWithOneLine() {
        CliRun result = CliRun.of(args("inbox --holder nobody"));

        assertThat(result.exitCode()).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(result.errLines()).containsExactly("idstream inbox: no keys for 'nobody' in " + keys
                + " (create them with 'idstream identity create')");
    }

    /** The command line with this test's keys directory; a command group alone takes no options. */
    private String[] args(String commandLine) {
        return (commandLine.contains("--") ? commandLine + " --keys " + keys : commandLine).split(" ");
    }
}
