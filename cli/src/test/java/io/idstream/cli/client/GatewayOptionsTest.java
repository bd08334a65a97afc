package io.idstream.cli.client;

import io.idstream.sdk.IdstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator keys a holder's commands pin: the given ones; else the embedded platform's file, only against the
 * embedded gateway's default address and only when nobody else can have chosen it, as for consumers.
 */
class GatewayOptionsTest {
    private static final String OPERATOR_KEY = "ab".repeat(32);

    @TempDir
    Path dir;

    /** An embedded platform's public.hex under {@code dir}, as the platform writes it: the user's own, rw-r--r--. */
    private Path operatorPublicKey() throws Exception {
        Path operator = Files.createDirectories(dir.resolve(".idstream/data/operator"));
        Path file = Files.writeString(operator.resolve("public.hex"), OPERATOR_KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static GatewayOptions options(String gatewayUrl, Path embeddedKey) {
        GatewayOptions options = new GatewayOptions();
        options.gatewayUrl = gatewayUrl;
        options.embeddedOperatorPublicKey = embeddedKey;
        return options;
    }

    @Test
    void theEmbeddedPlatformsKeyIsPinnedAgainstTheDefaultGateway() throws Exception {
        GatewayOptions options = options(GatewayOptions.DEFAULT_GATEWAY_URL, operatorPublicKey());

        assertThat(options.pinnedOperatorKeys()).singleElement()
                .satisfies(key -> assertThat(HexFormat.of().formatHex(key)).isEqualTo(OPERATOR_KEY));
    }

    @Test
    void againstAnotherGatewayTheEmbeddedKeyIsNotTrusted() throws Exception {
        GatewayOptions options = options("http://gateway.example:8090", operatorPublicKey());

        assertThatThrownBy(options::pinnedOperatorKeys)
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining("not trusted for the gateway at http://gateway.example:8090")
                .hasMessageContaining("--operator-keys");
    }

    @Test
    void aKeyFileOthersCanWriteIsRefused() throws Exception {
        Path file = operatorPublicKey();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> options(GatewayOptions.DEFAULT_GATEWAY_URL, file).pinnedOperatorKeys())
                .isInstanceOf(IdstreamException.class)
                .hasMessageContaining(file + " is writable by its group or others");
    }

    @Test
    void givenKeysAreCheckedAndNeedNoFile() {
        GatewayOptions options = options("http://gateway.example:8090", dir.resolve("absent.hex"));
        options.operatorKeys = "cd".repeat(32);
        assertThat(options.pinnedOperatorKeys()).singleElement()
                .satisfies(key -> assertThat(HexFormat.of().formatHex(key)).isEqualTo("cd".repeat(32)));

        options.operatorKeys = "not-hex";
        assertThatThrownBy(options::pinnedOperatorKeys).hasMessageContaining("idstream.operator.keys");
    }
}
