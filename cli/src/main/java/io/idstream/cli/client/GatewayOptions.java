package io.idstream.cli.client;

import io.idstream.platform.OperatorKey;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.Identity;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Where the holder's commands find the holder gateway and the keys, and which operator keys the holder pins; the
 * defaults reach the embedded platform's gateway. A holder holds no Kafka credentials, so the Kafka options the
 * other commands take are refused here by name (exit code 2) rather than silently ignored.
 */
final class GatewayOptions {
    static final String DEFAULT_GATEWAY_URL = "http://127.0.0.1:8090";

    @Option(names = "--gateway-url", paramLabel = "URL", defaultValue = DEFAULT_GATEWAY_URL,
            description = "The holder gateway, http://host:port or https://host:port (default: ${DEFAULT-VALUE}, "
                    + "the embedded platform's).")
    String gatewayUrl;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "./.idstream/keys",
            description = "Directory of the identities' keys (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = "--operator-keys", paramLabel = "HEX[,HEX]",
            description = "Operator public keys whose accreditations of consumers and issuers the holder trusts, 64 "
                    + "hex digits each (default: the embedded platform's, from ./.idstream/data/operator/"
                    + OperatorKey.PUBLIC_KEY_FILE + ", only against the default --gateway-url and only if that file "
                    + "and its directories are yours and writable by no one else). Approving a request needs its "
                    + "consumer accredited under one of them.")
    String operatorKeys;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long one request to the gateway may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** Kafka's options, taken only to refuse them by name: a holder reaches the platform through the gateway. */
    @Option(names = "--bootstrap-servers", hidden = true, paramLabel = "HOSTS")
    void bootstrapServers(String value) {
        throw notUsed("--bootstrap-servers");
    }

    @Option(names = "--schema-registry-url", hidden = true, paramLabel = "URL")
    void schemaRegistryUrl(String value) {
        throw notUsed("--schema-registry-url");
    }

    @Option(names = "--command-config", hidden = true, paramLabel = "FILE")
    void commandConfig(String value) {
        throw notUsed("--command-config");
    }

    private ParameterException notUsed(String option) {
        return new ParameterException(command.commandLine(), option + " is not used: holder commands reach the "
                + "platform through the holder gateway (--gateway-url), with the holder's own keys only");
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the embedded platform's operator public key is looked for; tests point it elsewhere. */
    Path embeddedOperatorPublicKey = EmbeddedOperatorKey.DEFAULT_FILE;

    private boolean pinNoticePrinted;

    /** The gateway's address. */
    URI gateway() {
        try {
            return URI.create(gatewayUrl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--gateway-url '" + gatewayUrl + "' is not a URL");
        }
    }

    /** A signed connection to the gateway as {@code holder}. */
    GatewayConnection connection(Identity holder) {
        return new GatewayConnection(gateway(), holder, null, Duration.ofSeconds(timeoutSeconds));
    }

    /** The operator keys this holder pins: the given ones, else the embedded platform's, else none. */
    ConsumerTrust trust() {
        return ConsumerTrust.forHolder(pinnedOperatorKeys());
    }

    List<byte[]> pinnedOperatorKeys() {
        String pinned = operatorKeys;
        if (pinned == null && Files.exists(embeddedOperatorPublicKey, LinkOption.NOFOLLOW_LINKS)) {
            pinned = EmbeddedOperatorKey.read(embeddedOperatorPublicKey, isEmbeddedDefault(gateway()),
                    "the gateway at " + gatewayUrl, "--operator-keys");
            if (!pinNoticePrinted) {
                pinNoticePrinted = true;
                notices().println("pinned operator key " + pinned + " from " + embeddedOperatorPublicKey
                        + " (the embedded platform's; pass --operator-keys to pin another)");
                notices().flush();
            }
        }
        if (pinned == null) {
            return List.of();
        }
        Properties setting = new Properties();
        setting.put(ConsumerClient.OPERATOR_KEYS_CONFIG, pinned);
        return ConsumerTrust.operatorKeys(setting);
    }

    private static boolean isEmbeddedDefault(URI gateway) {
        String scheme = gateway.getScheme();
        String host = gateway.getHost();
        return "http".equals(scheme) && gateway.getPort() == 8090 && ("127.0.0.1".equals(host)
                || "localhost".equals(host)) && (gateway.getRawPath() == null || gateway.getRawPath().isEmpty()
                || gateway.getRawPath().equals("/"));
    }

    private PrintWriter notices() {
        return command != null ? command.commandLine().getErr() : new PrintWriter(System.err, true);
    }
}
