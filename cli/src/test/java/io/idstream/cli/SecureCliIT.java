package io.idstream.cli;

import io.idstream.cli.client.IdentityCommands;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walkthrough on a secure platform: {@code identity create} run with the operator's properties gives issuers
 * and consumers a Kafka user of their own and a private {@code client.properties}; each then works with its own,
 * and is refused (one line on stderr, exit 1) what its role does not allow.
 */
@Timeout(240)
class SecureCliIT {
    @TempDir
    static Path dir;
    static Platform platform;
    static String operator;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(dir, true);
        operator = AdminSecret.file(dir.resolve("data")).toString();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void eachPrincipalWorksWithItsOwnPropertiesAndIsRefusedTheRest() throws Exception {
        ok(operator, "identity", "create", "--role", "issuer", "--id", "kyc-co");
        ok(operator, "operator", "accredit", "--issuer", "kyc-co", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString());
        ok(operator, "identity", "create", "--role", "consumer", "--id", "exchange-a");
        ok(operator, "identity", "create", "--role", "consumer", "--id", "app-b");
        ok(operator, "identity", "create", "--role", "holder", "--id", "alice");

        String issuer = clientProperties("kyc-co");
        String exchange = clientProperties("exchange-a");
        String app = clientProperties("app-b");
        assertThat(dir.resolve("keys/alice/client.properties")).as("holders act through the operator")
                .doesNotExist();
        Properties exchangeUser = new Properties();
        try (var in = Files.newInputStream(Path.of(exchange))) {
            exchangeUser.load(in);
        }
        assertThat(exchangeUser.getProperty("sasl.jaas.config")).contains("username=\"exchange-a\"")
                .doesNotContain("idstream-admin");

        ok(issuer, "issue", "--issuer", "kyc-co", "--holder", "alice", "--type", "kyc",
                "--field", "country=DE", "--field", "age_over_18=true");
        String requestId = CliRun.eventually(() -> ok(exchange, "request", "--consumer", "exchange-a", "--holder",
                "alice", "--type", "kyc", "--fields", "country", "--purpose", "onboarding"), s -> true);
        CliRun.eventually(() -> ok(operator, "inbox", "--holder", "alice"), s -> s.contains(requestId));
        ok(operator, "approve", "--holder", "alice", "--request", requestId);
        assertThat(CliRun.eventually(() -> ok(exchange, "deliveries", "--consumer", "exchange-a"),
                s -> s.contains("DELIVERED"))).contains("DELIVERED  " + requestId, "verified");

        // app-b reads exchange-a's deliveries with its own user: refused by the broker.
        CliRun othersDeliveries = run(app, "deliveries", "--consumer", "exchange-a", "--timeout", "10");
        assertThat(othersDeliveries.exitCode()).isEqualTo(1);
        assertThat(othersDeliveries.errLines()).singleElement().asString()
                .startsWith("idstream deliveries: ").containsIgnoringCase("authoriz");

        // The issuer signs alice's decision with her keys but carries it with its own user: refused.
        CliRun issuerDecides = run(issuer, "deny", "--holder", "alice", "--request", requestId, "--timeout", "10");
        assertThat(issuerDecides.exitCode()).as(issuerDecides.toString()).isEqualTo(1);
        assertThat(issuerDecides.errLines()).singleElement().asString().containsIgnoringCase("authoriz");

        // A holder's keys give no Kafka access: without the operator's properties, nothing, not even its inbox.
        CliRun anonymousHolder = run(null, "deliveries", "--consumer", "exchange-a", "--timeout", "5");
        assertThat(anonymousHolder.exitCode()).isEqualTo(1);
        assertThat(anonymousHolder.errLines()).singleElement().asString().startsWith("idstream deliveries: ");
        CliRun anonymousInbox = run(null, "inbox", "--holder", "alice", "--timeout", "5");
        assertThat(anonymousInbox.exitCode()).isEqualTo(1);
        assertThat(anonymousInbox.errLines()).hasSize(1);
    }

    @Test
    void holdersAndRefusedUsersGetNoClientProperties() {
        CliRun asConsumer = run(null, "identity", "create", "--role", "consumer", "--id", "nobody", "--timeout", "5");
        assertThat(asConsumer.exitCode()).isEqualTo(1);
        assertThat(asConsumer.errLines()).singleElement().asString().startsWith("idstream identity create: ");
        assertThat(dir.resolve("keys/nobody/client.properties")).doesNotExist();
    }

    private static String clientProperties(String id) throws Exception {
        Path file = dir.resolve("keys").resolve(id).resolve(IdentityCommands.CLIENT_PROPERTIES);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        return file.toString();
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
