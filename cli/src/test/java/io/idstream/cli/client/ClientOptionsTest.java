package io.idstream.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.IdstreamException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry URL the client commands use when none is given: https once the command config trusts a CA; and the
 * operator key pinned from the embedded platform's file only when nobody else can have chosen it.
 */
class ClientOptionsTest {
    @TempDir
    Path dir;

    /** The options as picocli leaves them when only the command config, if any, is given. */
    private static ClientOptions options() {
        ClientOptions options = new ClientOptions();
        options.bootstrapServers = "127.0.0.1:9092";
        options.keys = Path.of("./.idstream/keys");
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

    private static final String OPERATOR_KEY = "ab".repeat(32);

    /** An embedded platform's public.hex under {@code dir}, as the platform writes it: the user's own, rw-r--r--. */
    private Path operatorPublicKey() throws Exception {
        Path operator = Files.createDirectories(dir.resolve(".idstream/data/operator"));
        Path file = Files.writeString(operator.resolve("public.hex"), OPERATOR_KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private ClientOptions optionsReading(Path operatorPublicKey) {
        ClientOptions options = options();
        options.embeddedOperatorPublicKey = operatorPublicKey;
        return options;
    }

    @Test
    void theEmbeddedPlatformsOwnOperatorKeyIsPinnedAgainstItsDefaultAddress() throws Exception {
        assertThat(optionsReading(operatorPublicKey()).properties().getProperty(ConsumerClient.OPERATOR_KEYS_CONFIG))
                .isEqualTo(OPERATOR_KEY);
    }

    @Test
    void aPublicKeyFileOthersCanWriteIsRefused() throws Exception {
        Path file = operatorPublicKey();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

        assertThatThrownBy(() -> optionsReading(file).properties())
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(file + " is writable by its group or others")
                .hasMessageContaining("--operator-keys");
    }

    @Test
    void aPublicKeyFileInADirectoryOthersCanWriteIsRefused() throws Exception {
        Path file = operatorPublicKey();
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> optionsReading(file).properties())
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(file.getParent() + " is writable by its group or others");
    }

    @Test
    void aPublicKeyFileThatIsASymbolicLinkIsRefused() throws Exception {
        Path planted = Files.writeString(dir.resolve("planted.hex"), "cd".repeat(32));
        Path link = Files.createSymbolicLink(
                Files.createDirectories(dir.resolve(".idstream/data/operator")).resolve("public.hex"), planted);

        assertThatThrownBy(() -> optionsReading(link).properties())
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(link + " is a symbolic link");
    }

    @Test
    void againstAnotherKafkaThePublicKeyFileIsNotTrusted() throws Exception {
        ClientOptions options = optionsReading(operatorPublicKey());
        options.bootstrapServers = "kafka.example:9092";

        assertThatThrownBy(options::properties)
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining("not trusted for Kafka at kafka.example:9092")
                .hasMessageContaining("--operator-keys");
    }

    @Test
    void givenOperatorKeysNeedNoFile() throws Exception {
        ClientOptions options = optionsReading(dir.resolve("absent.hex"));
        options.bootstrapServers = "kafka.example:9092";
        options.operatorKeys = "cd".repeat(32);

        assertThat(options.properties().getProperty(ConsumerClient.OPERATOR_KEYS_CONFIG)).isEqualTo("cd".repeat(32));
    }
}
