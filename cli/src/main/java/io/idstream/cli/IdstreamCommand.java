package io.idstream.cli;

import io.idstream.cli.client.ConsentCommands;
import io.idstream.cli.client.ConsumerCommands;
import io.idstream.cli.client.ExportCommand;
import io.idstream.cli.client.HolderCommands;
import io.idstream.cli.client.IdentityCommands;
import io.idstream.cli.client.IssuerCommands;
import io.idstream.cli.client.OperatorCommands;
import io.idstream.cli.client.TopicsCommands;
import io.idstream.cli.client.WalletCommand;
import io.idstream.cli.client.WriteGrantCommands;
import io.idstream.platform.PlatformException;
import io.idstream.sdk.IdstreamException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code idstream} command and its subcommands. */
@Command(name = "idstream", mixinStandardHelpOptions = true, versionProvider = IdstreamCommand.Version.class,
        description = "An identity data layer on Apache Kafka: issuer-signed, holder-controlled, end-to-end "
                + "encrypted credentials.",
        subcommands = {PlatformCommand.class, GatewayCommand.class, DemoCommand.class, IdentityCommands.class,
                OperatorCommands.class, ConsentCommands.class, IssuerCommands.Issue.class,
                ConsumerCommands.Request.class, HolderCommands.Inbox.class, WriteGrantCommands.AllowIssuer.class,
                WriteGrantCommands.DisallowIssuer.class, WriteGrantCommands.Issuers.class,
                HolderCommands.Approve.class, HolderCommands.Deny.class, HolderCommands.Revoke.class,
                HolderCommands.Erase.class, ConsumerCommands.Deliveries.class, HolderCommands.Audit.class,
                ExportCommand.class, TopicsCommands.class,
                WalletCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class IdstreamCommand implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, such as 'platform'");
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** A configured command line, so that tests can capture its output streams. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new IdstreamCommand());
        commandLine.setExitCodeExceptionMapper(e -> EXIT_FAILED);
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + e.getMessage() + " (see '" + command + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(e));
            err.flush();
            return EXIT_FAILED;
        });
        return commandLine;
    }

    /** The message a user can act on, without a stack trace. */
    static String oneLine(Throwable e) {
        if (e instanceof PlatformException || e instanceof ConfigException
                || e instanceof IdstreamException) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = IdstreamCommand.class.getPackage().getImplementationVersion();
            return new String[] {"idstream " + (version == null ? "development build" : version)};
        }
    }
}
