package io.idstream.cli.client;

import io.idstream.sdk.IdstreamException;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;

/**
 * A file a command writes that holds private data (an export of plaintext values, a key backup): made new, mode 600
 * from its first byte, never over an existing file and never through a symbolic link, which could send the data
 * wherever whoever planted the link chose.
 */
final class NewFile {
    private NewFile() {
    }

    /** Refuses, as {@code usage}'s exception naming {@code option}, a path that exists, be it a file or a link. */
    static void checkAbsent(Path file, String option, Function<String, ParameterException> usage) {
        if (Files.isSymbolicLink(file)) {
            throw usage.apply(option + " " + file + " is a symbolic link: name a new file");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw usage.apply(option + " " + file + " exists: name a new file, nothing is overwritten");
        }
    }

    /** Writes {@code content} to {@code file}, made now with mode 600; fails if anything is there by then. */
    static void write(Path file, byte[] content) {
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
            out.write(content);
        } catch (FileAlreadyExistsException e) {
            throw new IdstreamException(file + " appeared meanwhile: nothing written");
        } catch (IOException e) {
            throw new IdstreamException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
