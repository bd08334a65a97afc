package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            "wallet --holder b --port 70000|idstream wallet: --port must be between 0 and 65535, not 70000"})
    void badOptionsAreAUsageErrorOnOneLine(String commandLine, String message) {
        CliRun result = CliRun.of(args(commandLine));

        assertThat(result.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        String command = message.substring(0, message.indexOf(": "));
        assertThat(result.errLines()).containsExactly(message + " (see '" + command + " --help')");
        assertThat(result.out()).isEmpty();
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
