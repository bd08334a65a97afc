package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idstream gateway}'s bad arguments: exit code 2 and one line on stderr naming the option, before any start. */
class GatewayCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPortOutOfRangeNamesTheOption() {
        CliRun result = CliRun.of("gateway", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream gateway: ").contains("--port").contains("70000");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anOperatorKeyThatIsNotHexNamesTheOption() {
        CliRun result = CliRun.of("gateway", "--operator-keys", "not-a-key");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream gateway: ").contains("--operator-keys").contains("not hex");
    }

    @Test
    void aMissingConfigFileNamesIt() {
        Path missing = dir.resolve("gateway.properties");

        CliRun result = CliRun.of("gateway", "--config", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream gateway: cannot read --config " + missing);
    }

    @Test
    void aBadSettingInTheConfigFileNamesItsKey() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.properties"), "idstream.gateway.port=-1\n");

        CliRun result = CliRun.of("gateway", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("idstream gateway: ").contains("idstream.gateway.port").contains("-1");
    }
}
