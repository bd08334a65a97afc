package io.idstream.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Key files are written mode 600 in a directory of mode 700, and read only when nobody else can (protocol §2). */
class PrivateKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFileMode600InANewDirectoryOfMode700WhateverTheUmask() throws IOException {
        Path file = dir.resolve("new/key.pem");
        String pem = SigningKeyPair.generate().toPem();

        PrivateKeyFile.write(file, pem);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PrivateKeyFile.read(file)).isEqualTo(pem);
    }

    @Test
    void replacesAFileOthersCouldReadWithOneOnlyItsOwnerCan() throws IOException {
        Path file = Files.writeString(dir.resolve("key.pem"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        PrivateKeyFile.write(file, SigningKeyPair.generate().toPem());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesAFileItsGroupOrOthersMayReadOrWriteNamingItsModeAndTheFix() throws IOException {
        Path file = dir.resolve("key.pem");
        PrivateKeyFile.write(file, SigningKeyPair.generate().toPem());
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> PrivateKeyFile.read(file)).as(mode)
                    .isInstanceOf(CryptoException.class)
                    .hasMessageStartingWith(file + " has mode 6")
                    .hasMessageContaining("(" + mode + ")")
                    .hasMessageEndingWith("run chmod 600 " + file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(PrivateKeyFile.read(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void refusesASymbolicLinkEvenToAFileOfMode600() throws IOException {
        Path target = dir.resolve("someone-elses.pem");
        PrivateKeyFile.write(target, SigningKeyPair.generate().toPem());
        Path link = Files.createSymbolicLink(dir.resolve("key.pem"), target);

        assertThatThrownBy(() -> PrivateKeyFile.read(link))
                .isInstanceOf(CryptoException.class)
                .hasMessageStartingWith(link + " is a symbolic link");
    }

    @Test
    void refusesWhatIsNotARegularFile() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("key.pem"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() -> PrivateKeyFile.read(directory))
                .isInstanceOf(CryptoException.class)
                .hasMessage(directory + " is not a regular file");
    }

    @Test
    void refusesAFileOfMode600ThatAnotherUserOwns() throws IOException {
        Path file = dir.resolve("key.pem");
        PrivateKeyFile.write(file, SigningKeyPair.generate().toPem());
        UserPrincipal nobody;
        try {
            nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
        } catch (IOException e) {
            // Only root may give a file away; as anyone else there is no file of another owner to plant here.
            assumeTrue(false, "cannot give " + file + " to user nobody: " + e);
            return;
        }

        assertThatThrownBy(() -> PrivateKeyFile.read(file))
                .isInstanceOf(CryptoException.class)
                .hasMessageStartingWith(file + " is owned by nobody, not by " + System.getProperty("user.name"))
                .hasMessageContaining("run chown");
    }

    @Test
    // Opening a pipe waits for a writer: without the check this test would hang, so it ends in a thread of its own.
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesANamedPipeRatherThanWaitForWhatAWriterFeedsIt() throws Exception {
        Path fifo = dir.resolve("key.pem");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here: " + e);
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");

        assertThatThrownBy(() -> PrivateKeyFile.read(fifo))
                .isInstanceOf(CryptoException.class)
                .hasMessage(fifo + " is not a regular file");
    }
}
