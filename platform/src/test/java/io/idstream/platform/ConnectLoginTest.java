package io.idstream.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Connect worker's password is its own only while nobody else can read or plant its file: a file others may
 * read, or a link to a file of someone else's, is refused rather than its password used.
 */
class ConnectLoginTest {
    @TempDir
    Path dataDir;

    @Test
    void writesANewLoginMode600AndReadsTheSamePasswordBack() throws Exception {
        String password = ConnectLogin.loadOrCreatePassword(dataDir);
        Path file = ConnectLogin.file(dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Properties stored = new Properties();
        stored.load(new StringReader(Files.readString(file)));
        assertThat(stored.getProperty("sasl.jaas.config")).contains(ConnectLogin.CONNECT_USER);
        assertThat(ConnectLogin.loadOrCreatePassword(dataDir)).isEqualTo(password);
    }

    @Test
    void refusesALoginFileItsGroupMayReadNamingIt() throws Exception {
        Path file = plant(ConnectLogin.file(dataDir), "idstream.connect.password=known-to-others\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> ConnectLogin.loadOrCreatePassword(dataDir))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining(file + " has mode 640")
                .hasMessageEndingWith("run chmod 600 " + file);
    }

    @Test
    void refusesALoginFileThatIsASymbolicLinkNamingIt() throws Exception {
        Path planted = plant(dataDir.resolve("elsewhere/connect.properties"),
                "idstream.connect.password=known-to-others\n");
        Path file = ConnectLogin.file(dataDir);
        Files.createDirectories(file.getParent());
        Files.createSymbolicLink(file, planted);

        assertThatThrownBy(() -> ConnectLogin.loadOrCreatePassword(dataDir))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining(file + " is a symbolic link");
    }

    private static Path plant(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
