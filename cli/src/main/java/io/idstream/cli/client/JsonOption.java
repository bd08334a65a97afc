package io.idstream.cli.client;

import picocli.CommandLine.Option;

/** The {@code --json} option of the commands that list results. */
final class JsonOption {
    @Option(names = "--json", description = "One JSON object a line.")
    boolean enabled;
}
