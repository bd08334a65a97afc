package io.idstream.cli.client;

import io.idstream.cli.IdstreamCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A participant's command: it finds the platform and the keys through its options ({@link ClientOptions} for Kafka,
 * {@link GatewayOptions} for the holder gateway), prints its result through a {@link Renderer}, and exits 0 when {@link #run()} returns; a refusal is thrown as an exception,
 * which the command line turns into one line on stderr.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        run();
        spec.commandLine().getOut().flush();
        return IdstreamCommand.EXIT_OK;
    }

    /** Refuses, with {@link #usage}, options that picocli cannot check alone; before any key is read. */
    void checkOptions() {
    }

    abstract void run();

    /** Where this command prints: text, or one JSON object a line when {@code json}. */
    Renderer output(boolean json) {
        return new Renderer(spec.commandLine().getOut(), json);
    }

    Renderer output() {
        return output(false);
    }

    /** A usage error (exit code 2) that names the option at fault. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
