package io.idstream.cli.client;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run on its own, it is a usage error naming its first subcommand. */
abstract class CommandGroup implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        String first = spec.subcommands().keySet().iterator().next();
        throw new ParameterException(spec.commandLine(), "a subcommand is required, such as '" + first + "'");
    }
}
