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
 * The gateway's Kafka and registry login is one password, made once and kept where only the platform's owner can
 * read it; a file others may read is refused rather than its password used.
 */
class GatewayLoginTest {
    @TempDir
    Path dataDir;

    @Test
    void keepsOnePasswordMode600ForKafkaAndTheRegistry() throws Exception {
        String registryLogin = GatewayLogin.registryLogin(dataDir);
        Path file = GatewayLogin.file(dataDir);

        assertThat(file).isEqualTo(dataDir.resolve("secrets/gateway.properties"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Properties stored = new Properties();
        stored.load(new StringReader(Files.readString(file)));
        String password = stored.getProperty("idstream.gateway.password");
        assertThat(registryLogin).isEqualTo(GatewayLogin.GATEWAY_USER + ":" + password);
        assertThat(stored.getProperty("sasl.jaas.config")).contains("username=\"idstream-gateway\"")
                .contains("password=\"" + password + "\"");
        assertThat(GatewayLogin.registryLogin(dataDir)).as("the login read back at the next start")
                .isEqualTo(registryLogin);
    }

    @Test
    void refusesALoginFileOthersMayReadNamingIt() throws Exception {
        Path file = GatewayLogin.file(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "idstream.gateway.password=known-to-others\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> GatewayLogin.registryLogin(dataDir))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("the gateway's login is refused: ")
                .hasMessageContaining(file + " has mode 644");
    }
}
