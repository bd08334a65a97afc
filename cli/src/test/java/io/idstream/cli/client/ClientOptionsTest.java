package io.idstream.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry URL the client commands use when none is given: https once the command config trusts a CA. */
class ClientOptionsTest {
    @TempDir
    Path dir;

    /** The options as picocli leaves them when only the command config, if any, is given. */
    private static ClientOptions options() {
        ClientOptions options = new ClientOptions();
        options.bootstrapServers = "127.0.0.1:9092";
        options.keys = Path.of(".idstream", "keys");
        return options;
    }

    @Test
    void withoutACommandConfigTheRegistryIsPlainHttpOnItsDefaultPort() {
        assertThat(options().properties().getProperty("schema.registry.url"))
                .isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void aCommandConfigThatTrustsACaForTheRegistryMakesTheDefaultHttps() throws Exception {
        ClientOptions options = options();
        options.commandConfig = Files.writeString(dir.resolve("client.properties"),
                "security.protocol=SASL_SSL\nschema.registry.ssl.truststore.location=/data/tls/ca.pem\n");

        assertThat(options.properties().getProperty("schema.registry.url")).isEqualTo("https://127.0.0.1:8081");
    }

    @Test
    void aGivenUrlIsKept() throws Exception {
        ClientOptions options = options();
        options.schemaRegistryUrl = "https://registry.example:8081";
        options.commandConfig = Files.writeString(dir.resolve("client.properties"),
                "schema.registry.ssl.truststore.location=/data/tls/ca.pem\n");

        assertThat(options.properties().getProperty("schema.registry.url")).isEqualTo("https://registry.example:8081");
    }
}
