package io.idstream.cli.client;

import io.idstream.schemas.serde.AvroSerdeConfig;
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
        properties.put(KafkaGateway.TIMEOUT_CONFIG, Long.toString(timeoutSeconds * 1000L));
        properties.putIfAbsent("schema.registry.request.timeout.ms", Integer.toString(timeoutSeconds * 1000));
        return properties;
    }
}
