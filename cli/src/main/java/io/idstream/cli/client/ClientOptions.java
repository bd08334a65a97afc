package io.idstream.cli.client;

import io.idstream.platform.OperatorKey;
import io.idstream.platform.PlatformConfig;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.KafkaGateway;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the client commands find Kafka, the registry and the keys; the defaults reach the embedded platform. */
final class ClientOptions {
    /** The embedded platform's operator public key, where a platform started in this directory writes it. */
    static final Path EMBEDDED_OPERATOR_PUBLIC_KEY = OperatorKey.publicKeyFile(
            Path.of(PlatformConfig.DEFAULT_DATA_DIR, "operator", "signing.pem"));

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema Registry URL (default: http://127.0.0.1:8081, or https://127.0.0.1:8081 when "
                    + "--command-config names a truststore for the registry, as a secure platform's do).")
    String schemaRegistryUrl;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (security and the like), as for Kafka's own tools.")
    Path commandConfig;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "./.idstream/keys",
            description = "Directory of the identities' keys (default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = "--operator-keys", paramLabel = "HEX[,HEX]",
            description = "Operator public keys whose accreditations of issuers a consumer trusts, 64 hex digits each "
                    + "(default: idstream.operator.keys of --command-config, else the embedded platform's, from "
                    + "./.idstream/data/operator/" + OperatorKey.PUBLIC_KEY_FILE + ").")
    String operatorKeys;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Properties properties() {
        Properties properties = new Properties();
        if (commandConfig != null) {
            try (InputStream in = Files.newInputStream(commandConfig)) {
                properties.load(in);
            } catch (IOException e) {
                throw new IdstreamException("cannot read --command-config " + commandConfig + ": " + e.getMessage());
            }
        }
        properties.putIfAbsent("bootstrap.servers", bootstrapServers);
        properties.putIfAbsent("schema.registry.url", schemaRegistryUrl != null ? schemaRegistryUrl
                : properties.containsKey(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION) ? "https://127.0.0.1:8081"
                : "http://127.0.0.1:8081");
        if (operatorKeys != null) {
            properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG, operatorKeys);
        } else if (!properties.containsKey(ConsumerClient.OPERATOR_KEYS_CONFIG)
                && Files.isRegularFile(EMBEDDED_OPERATOR_PUBLIC_KEY)) {
            try {
                properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG,
                        Files.readString(EMBEDDED_OPERATOR_PUBLIC_KEY).strip());
            } catch (IOException e) {
                throw new IdstreamException("cannot read " + EMBEDDED_OPERATOR_PUBLIC_KEY + ": " + e.getMessage());
            }
        }
        // A consumer's request ids are kept beside its keys, so that 'deliveries' knows what 'request' sent.
        properties.putIfAbsent(ConsumerClient.STATE_DIR_CONFIG, keys.toString());
        properties.put(KafkaGateway.TIMEOUT_CONFIG, Long.toString(timeoutSeconds * 1000L));
        properties.putIfAbsent("schema.registry.request.timeout.ms", Integer.toString(timeoutSeconds * 1000));
        return properties;
    }
}
