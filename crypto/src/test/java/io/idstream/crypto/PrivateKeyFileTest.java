package io.idstream.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
