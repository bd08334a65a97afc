package io.idstream.cli.client;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.sdk.PrincipalClient;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * {@code idstream identity}: the keys of a new holder, issuer or consumer and its entry in the directory, and later
 * new keys, a backup of them, and their recovery.
 */
@Command(name = "identity", description = "Manage identities.", mixinStandardHelpOptions = true,
        subcommands = {IdentityCommands.Create.class, IdentityKeyCommands.Rotate.class, IdentityKeyCommands.Backup.class,
                IdentityKeyCommands.Recover.class})
public final class IdentityCommands extends CommandGroup {
    /** The file, next to an identity's keys, of its Kafka client properties on a secure cluster. */
    public static final String CLIENT_PROPERTIES = "client.properties";

    /** {@code idstream identity create}: makes the keys, registers the identity, prints its id. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make keys for a new identity and register it in the directory; prints its id.")
    static final class Create extends ClientCommand {
        /** Options that reach Kafka, which a holder, registered through the gateway, does not use. */
        private static final List<String> KAFKA_OPTIONS = List.of("--bootstrap-servers", "--schema-registry-url",
                "--command-config");

        @Mixin
        ClientOptions options;

        @Option(names = "--gateway-url", paramLabel = "URL",
                description = "For --role holder only: the holder gateway the holder registers through (default: "
                        + GatewayOptions.DEFAULT_GATEWAY_URL + ", the embedded platform's). Issuers and consumers "
                        + "register through Kafka.")
        String gatewayUrl;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "holder, issuer or consumer.")
        String role;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The principal id.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).")
        String name;

        @Option(names = "--encrypt", description = "Encrypt the private keys under a passphrase, taken from "
                + "$" + KeyPassphrase.ENVIRONMENT_VARIABLE + " or asked twice on the terminal; every command that "
                + "uses the keys then asks for it the same way.")
        boolean encrypt;

        @Override
        void checkOptions() {
            if (!List.of("holder", "issuer", "consumer").contains(role)) {
                throw usage("--role must be holder, issuer or consumer, not '" + role + "'");
            }
            if (role.equals("holder")) {
                for (String option : KAFKA_OPTIONS) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                        throw usage(option + " is not used: a holder registers through the holder gateway "
                                + "(--gateway-url), with its own keys only");
                    }
                }
            } else if (gatewayUrl != null) {
                throw usage("--gateway-url is for --role holder: " + role + "s register through Kafka");
            }
        }

        @Override
        void run() {
            if (role.equals("holder")) {
                registerHolder();
                return;
            }
            // Before any key is made: a refused operator key file leaves no half-made identity behind.
            Properties properties = options.properties();
            char[] passphrase = encrypt ? KeyPassphrase.toEncrypt("the keys of '" + id + "'") : null;
            Identity identity;
            try {
                identity = Identity.create(options.keys, id, role, passphrase);
            } finally {
                KeyPassphrase.clear(passphrase);
            }
            // On a secure cluster (run with the operator's properties) issuers and consumers get a Kafka user of
            // their own, its client properties next to their keys.
            if (properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
                try (OperatorClient operator = new OperatorClient(null, properties)) {
                    Properties own = operator.createKafkaUser(id, role);
                    // A consumer's own properties carry the operator keys it pins, as the operator's did.
                    if (role.equals("consumer") && properties.containsKey(ConsumerClient.OPERATOR_KEYS_CONFIG)) {
                        own.put(ConsumerClient.OPERATOR_KEYS_CONFIG,
                                properties.get(ConsumerClient.OPERATOR_KEYS_CONFIG));
                    }
                    writePrivateProperties(options.keys.resolve(id).resolve(CLIENT_PROPERTIES), own);
                } catch (IdstreamException e) {
                    // The broker's own message for this refusal dumps its internal request, not the reason.
                    if (e.getCause() instanceof ClusterAuthorizationException) {
                        throw new IdstreamException("cannot create the Kafka user '" + id + "': not authorized on "
                                + "the cluster (Kafka users are created with the operator's --command-config)", e);
                    }
                    throw e;
                }
            }
            try (PrincipalClient client = role.equals("issuer") ? new IssuerClient(identity, properties)
                    : new ConsumerClient(identity, properties)) {
                client.register(name == null ? id : name);
            }
            output().id(id);
        }

        /**
         * A holder is no Kafka principal: its self-signed registration goes to the holder gateway, signed with the
         * new key, and every later request of the holder is signed with it too.
         */
        private void registerHolder() {
            URI gateway = URI.create(gatewayUrl == null ? GatewayOptions.DEFAULT_GATEWAY_URL : gatewayUrl);
            char[] passphrase = encrypt ? KeyPassphrase.toEncrypt("the keys of '" + id + "'") : null;
            Identity identity;
            try {
                identity = Identity.create(options.keys, id, role, passphrase);
            } finally {
                KeyPassphrase.clear(passphrase);
            }
            // Registering needs no trust in consumers or issuers: no operator key is pinned for it.
            try (HolderClient holder = new HolderClient(identity, new GatewayConnection(gateway, identity, null,
                    Duration.ofSeconds(options.timeoutSeconds)), ConsumerTrust.forHolder(List.of()))) {
                holder.register(name == null ? id : name);
            }
            output().id(id);
        }

        private static void writePrivateProperties(Path file, Properties properties) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(file)) {
                    properties.store(out, "Kafka client properties of this identity; keep private");
                }
            } catch (IOException e) {
                throw new IdstreamException("cannot write " + file + ": " + e.getMessage());
            }
        }
    }
}
