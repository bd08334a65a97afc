package io.idstream.cli.client;

import io.idstream.cli.client.HolderCommands.HolderCommand;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.HolderExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code idstream export}: everything the platform holds on the holder, her credentials opened here with her key, as
 * one JSON document (the right of access and portability, GDPR articles 15 and 20). It holds plaintext values, so it
 * goes to a new file of mode 600 only, never to stdout, where a terminal's scrollback or a pipe would keep it.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write everything the platform holds on a holder to a new JSON file (mode 600): the directory "
                + "entry, every credential opened with the holder's key, grants, write grants, consent requests, "
                + "the inbox and the audit trail; prints the file's path.",
                "The file holds the credentials' values in plain text: it is never written to stdout, and an "
                        + "existing file or a symbolic link is refused."})
public final class ExportCommand extends HolderCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The new file to write.")
    Path out;

    @Override
    void checkOptions() {
        NewFile.checkAbsent(out, "--out", this::usage);
    }

    @Override
    void run(HolderClient client) {
        HolderExport export = client.export();
        NewFile.write(out, export.toJson().getBytes(StandardCharsets.UTF_8));
        output().id(out.toString());
    }
}
