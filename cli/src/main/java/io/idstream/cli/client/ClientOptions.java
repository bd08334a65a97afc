package io.idstream.cli.client;

import io.idstream.platform.OperatorKey;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.KafkaGateway;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Properties;

/** Where the client commands find Kafka, the registry and the keys; the defaults reach the embedded platform. */
final class ClientOptions {
    /** The embedded platform's operator public key, where a platform started in this directory writes it. */
    static final Path EMBEDDED_OPERATOR_PUBLIC_KEY = EmbeddedOperatorKey.DEFAULT_FILE;

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
                    + "./.idstream/data/operator/" + OperatorKey.PUBLIC_KEY_FILE + ", only against the default "
                    + "--bootstrap-servers and only if that file and its directories are yours and writable by no "
                    + "one else; against any other Kafka a consumer needs this option or the config's setting).")
    String operatorKeys;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the embedded platform's operator public key is looked for; tests point it elsewhere. */
    Path embeddedOperatorPublicKey = EMBEDDED_OPERATOR_PUBLIC_KEY;

    private boolean pinNoticePrinted;

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
                && Files.exists(embeddedOperatorPublicKey, LinkOption.NOFOLLOW_LINKS)) {
            String pinned = embeddedOperatorKey(properties.getProperty("bootstrap.servers"));
            properties.put(ConsumerClient.OPERATOR_KEYS_CONFIG, pinned);
            if (!pinNoticePrinted) {
                pinNoticePrinted = true;
                notices().println("pinned operator key " + pinned + " from " + embeddedOperatorPublicKey
                        + " (the embedded platform's; pass --operator-keys to pin another)");
                notices().flush();
            }
        }
        // A consumer's request ids are kept beside its keys, so that 'deliveries' knows what 'request' sent.
        properties.putIfAbsent(ConsumerClient.STATE_DIR_CONFIG, keys.toString());
        properties.put(KafkaGateway.TIMEOUT_CONFIG, Long.toString(timeoutSeconds * 1000L));
        properties.putIfAbsent("schema.registry.request.timeout.ms", Integer.toString(timeoutSeconds * 1000));
        return properties;
    }

    private String embeddedOperatorKey(String bootstrap) {
        return EmbeddedOperatorKey.read(embeddedOperatorPublicKey, isEmbeddedDefault(bootstrap), "Kafka at "
                + bootstrap, "--operator-keys (or set " + ConsumerClient.OPERATOR_KEYS_CONFIG + " in --command-config)");
    }

    private static boolean isEmbeddedDefault(String bootstrap) {
        for (String server : bootstrap.split(",")) {
            String address = server.strip();
            if (!address.equals("127.0.0.1:9092") && !address.equals("localhost:9092")) {
                return false;
            }
        }
        return true;
    }

    private PrintWriter notices() {
        return command != null ? command.commandLine().getErr() : new PrintWriter(System.err, true);
    }
}
