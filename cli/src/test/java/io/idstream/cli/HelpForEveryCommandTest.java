package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --help} works for every command and subcommand the command line has, found by walking its tree rather than
 * listed by hand: exit code 0, the usage of that very command on stdout, nothing on stderr.
 */
class HelpForEveryCommandTest {
    /** The qualified name of every command, from {@code idstream} down, e.g. "idstream identity create". */
    static List<String> everyCommand() {
        List<String> names = new ArrayList<>();
        collect(IdstreamCommand.commandLine(), names, Collections.newSetFromMap(new IdentityHashMap<>()));
        return names;
    }

    private static void collect(CommandLine command, List<String> names, Set<CommandLine> seen) {
        if (!seen.add(command)) {
            return;
        }
        names.add(command.getCommandSpec().qualifiedName());
        command.getSubcommands().values().forEach(sub -> collect(sub, names, seen));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("everyCommand")
    void helpPrintsTheUsageOfThatCommand(String qualifiedName) {
        List<String> args = new ArrayList<>(Arrays.asList(qualifiedName.split(" ")));
        args.remove(0);
        args.add("--help");

        CliRun help = CliRun.of(args);

        assertThat(help.exitCode()).as("exit code of %s; stderr: %s", args, help.err()).isZero();
        // The usage line names this command, followed by its options or parameters, not by a subcommand's name.
        assertThat(help.out().lines()).as("usage of %s", qualifiedName).filteredOn(l -> l.startsWith("Usage: "))
                .singleElement().asString().matches("Usage: " + Pattern.quote(qualifiedName) + " [\\[<A-Z-].*");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void theWalkFindsEveryCommandGroupAndItsSubcommands() {
        assertThat(everyCommand()).contains("idstream", "idstream identity create", "idstream operator accredit",
                "idstream operator withdraw", "idstream operator key", "idstream deliveries", "idstream demo",
                "idstream help", "idstream gateway", "idstream consent request", "idstream allow-issuer",
                "idstream disallow-issuer", "idstream issuers", "idstream export", "idstream identity rotate",
                "idstream identity backup", "idstream identity recover", "idstream topics",
                "idstream topics grow").hasSize(33);
    }
}
