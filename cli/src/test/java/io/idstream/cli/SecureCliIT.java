package io.idstream.cli;

import io.idstream.cli.client.IdentityCommands;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import io.idstream.platform.Ports;
import io.idstream.topics.ScramLogins;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walkthrough on a secure platform: {@code identity create} run with the operator's properties gives issuers
 * and consumers a Kafka user of their own and a private {@code client.properties}; each then works with its own,
 * shown by a delivery read and verified, and is refused what its role does not allow with one line on stderr that
 * names the broker's refusal and what was refused, and exit code 1. An unreachable broker gives another line.
 */
@Timeout(240)
class SecureCliIT {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    static Path dir;
    static Platform platform;
    static String operator;
    static String issuer;
    static String exchange;
    static String app;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.start(dir, true);
        operator = AdminSecret.file(dir.resolve("data")).toString();
        ok(operator, "identity", "create", "--role", "issuer", "--id", "kyc-co");
        ok(operator, "operator", "accredit", "--issuer", "kyc-co", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString());
        ok(operator, "identity", "create", "--role", "consumer", "--id", "exchange-a");
        ok(operator, "identity", "create", "--role", "consumer", "--id", "app-b");
        ok(operator, "operator", "accredit", "--consumer", "exchange-a", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString());
        // A holder is no Kafka principal: she registers through the gateway, with her own keys only.
        ok(null, "identity", "create", "--role", "holder", "--id", "alice");
        issuer = clientProperties("kyc-co");
        exchange = clientProperties("exchange-a");
        app = clientProperties("app-b");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void eachPrincipalWorksWithItsOwnProperties() throws Exception {
        assertThat(dir.resolve("keys/alice/client.properties")).as("holders have no Kafka user")
                .doesNotExist();
        assertThat(load(exchange).getProperty("sasl.jaas.config")).contains("username=\"exchange-a\"")
                .doesNotContain("idstream-admin");
        String ca = dir.resolve("data/tls/ca.pem").toString();
        assertThat(load(exchange)).as("over TLS, trusting the platform's CA, for Kafka and for the registry")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.location", ca)
                .containsEntry("schema.registry.ssl.truststore.location", ca);

        ok(null, "allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc");
        CliRun.eventually(() -> ok(issuer, "issue", "--issuer", "kyc-co", "--holder", "alice", "--type", "kyc",
                "--field", "country=DE", "--field", "age_over_18=true"), out -> out.matches(UUID_PATTERN));
        String requestId = CliRun.eventually(() -> ok(exchange, "request", "--consumer", "exchange-a", "--holder",
                "alice", "--type", "kyc", "--fields", "country", "--purpose", "onboarding"),
                out -> out.matches(UUID_PATTERN));
        // The holder's commands carry no Kafka properties: her own key signs each request to the gateway.
        CliRun.eventually(() -> ok(null, "inbox", "--holder", "alice"), s -> s.contains(requestId));
        ok(null, "approve", "--holder", "alice", "--request", requestId);

        assertThat(CliRun.eventually(() -> ok(exchange, "deliveries", "--consumer", "exchange-a"),
                s -> s.contains("DELIVERED"))).contains("DELIVERED  " + requestId, "verified");
    }

    @Test
    void aConsumerIsRefusedAnotherConsumersDeliveries() {
        CliRun othersDeliveries = run(app, "deliveries", "--consumer", "exchange-a", "--timeout", "10");

        assertThat(othersDeliveries.exitCode()).as(othersDeliveries.toString()).isEqualTo(1);
        assertThat(othersDeliveries.errLines()).containsExactly("idstream deliveries: cannot read "
                + "idstream.deliveries.exchange-a: Not authorized to access topics: [idstream.deliveries.exchange-a]");
    }

    @Test
    void aHoldersCommandTakesNoKafkaProperties() {
        // Not even the operator's: a holder's command never reaches Kafka, so it refuses them by name.
        CliRun withOperatorProperties = run(operator, "deny", "--holder", "alice", "--request",
                UUID.randomUUID().toString());

        assertThat(withOperatorProperties.exitCode()).as(withOperatorProperties.toString())
                .isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(withOperatorProperties.errLines()).containsExactly("idstream deny: --command-config is not used: "
                + "holder commands reach the platform through the holder gateway (--gateway-url), with the holder's "
                + "own keys only (see 'idstream deny --help')");
    }

    @Test
    void aConsumerCannotCreateKafkaUsers() {
        CliRun asConsumer = run(exchange, "identity", "create", "--role", "consumer", "--id", "nobody",
                "--timeout", "10");

        assertThat(asConsumer.exitCode()).as(asConsumer.toString()).isEqualTo(1);
        assertThat(asConsumer.errLines()).containsExactly("idstream identity create: cannot create the Kafka user "
                + "'nobody': not authorized on the cluster (Kafka users are created with the operator's "
                + "--command-config)");
        assertThat(dir.resolve("keys/nobody/client.properties")).doesNotExist();
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() throws Exception {
        Properties guessed = load(exchange);
        guessed.setProperty("sasl.jaas.config", ScramLogins.jaas("exchange-a", "guessed"));
        Path file = dir.resolve("guessed.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            guessed.store(out, null);
        }

        CliRun wrongPassword = run(file.toString(), "deliveries", "--consumer", "exchange-a", "--timeout", "10");

        assertThat(wrongPassword.exitCode()).as(wrongPassword.toString()).isEqualTo(1);
        assertThat(wrongPassword.errLines()).containsExactly("idstream deliveries: cannot read "
                + "idstream.deliveries.exchange-a: Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism SCRAM-SHA-512");
    }

    /**
     * What the authorization and authentication refusals above would print if the broker were not there: a
     * timeout, none of their lines.
     */
    @Test
    void anUnreachableBrokerIsNotARefusal() {
        CliRun unreachable = run(app, "deliveries", "--consumer", "exchange-a", "--timeout", "5",
                "--bootstrap-servers", "127.0.0.1:" + Ports.freePort());

        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(1);
        assertThat(unreachable.errLines()).containsExactly("idstream deliveries: cannot read "
                + "idstream.deliveries.exchange-a: Timeout expired while fetching topic metadata");
    }

    private static String clientProperties(String id) throws Exception {
        Path file = dir.resolve("keys").resolve(id).resolve(IdentityCommands.CLIENT_PROPERTIES);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        return file.toString();
    }

    private static Properties load(String file) throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of(file))) {
            properties.load(in);
        }
        return properties;
    }

    private static String ok(String commandConfig, String... args) {
        return run(commandConfig, args).ok();
    }

    private static CliRun run(String commandConfig, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (commandConfig != null) {
            all.addAll(List.of("--command-config", commandConfig));
        }
        return CliRun.onPlatform(platform, dir.resolve("keys").toString(), all);
    }
}
