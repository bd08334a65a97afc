package io.idstream.it.attacks;

import io.idstream.cli.IdstreamCommand;
import io.idstream.cli.client.IdentityCommands;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.ConnectLogin;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.OperatorClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Taking over the platform's own Kafka logins: a principal's id is its Kafka user, and {@code identity create} set
 * the new principal's SCRAM credential whether or not that user existed, so creating an identity named
 * {@code idstream-admin} replaced the super user's password and handed the new one to whoever asked, and
 * {@code idstream-connect} did the same to the Connect worker's login. The CLI and the SDK now refuse reserved ids
 * and refuse to create a Kafka user that exists already; the real users' logins keep working and no credential is
 * handed out.
 */
@Timeout(240)
class ReservedLoginHijackAttackIT {
    @TempDir
    static Path dir;
    static Path dataDir;
    static Platform platform;

    @BeforeAll
    static void start() {
        dataDir = dir.resolve("data");
        platform = SecurePlatformLogins.start(dataDir,
                Map.of(PlatformConfig.CONNECT_ENABLED, true, PlatformConfig.CONNECT_PORT, 0));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {AdminSecret.ADMIN_USER, ConnectLogin.CONNECT_USER})
    void theSdkGivesNoLoginUnderThePlatformsOwnUserNames(String user) throws Exception {
        try (OperatorClient operator = new OperatorClient(null, platform.clientProperties())) {
            assertThatThrownBy(() -> operator.createKafkaUser(user, "consumer"))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessageStartingWith("cannot create the Kafka user '" + user + "': id '" + user
                            + "' is reserved");
        }

        assertLogsIn("the super user", platform.clientProperties());
        assertLogsIn("the Connect worker", SecurePlatformLogins.connectWorkerLogin(platform, dataDir));
    }

    @ParameterizedTest
    @ValueSource(strings = {AdminSecret.ADMIN_USER, ConnectLogin.CONNECT_USER})
    void theCliGivesNoLoginUnderThePlatformsOwnUserNames(String user) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = IdstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("identity", "create", "--role", "consumer", "--id", user,
                "--command-config", AdminSecret.file(dataDir).toString(),
                "--bootstrap-servers", platform.bootstrapServers(),
                "--schema-registry-url", platform.schemaRegistryUrl(), "--keys", dir.resolve("keys").toString());

        assertThat(exitCode).as("exit code; stdout: %s", out).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("idstream identity create: id '" + user
                + "' is reserved: ids starting with 'idstream-' name the platform's own Kafka users, such as its "
                + "super user and its Connect worker");
        assertThat(dir.resolve("keys").resolve(user).resolve(IdentityCommands.CLIENT_PROPERTIES))
                .as("a credential handed out").doesNotExist();
        assertLogsIn("the super user", platform.clientProperties());
        assertLogsIn("the Connect worker", SecurePlatformLogins.connectWorkerLogin(platform, dataDir));
    }

    @Test
    void aSecondKafkaUserForATakenIdIsRefusedAndTheFirstLoginKeepsWorking() throws Exception {
        try (OperatorClient operator = new OperatorClient(null, platform.clientProperties())) {
            Properties first = operator.createKafkaUser("exchange-a", "consumer");

            assertThatThrownBy(() -> operator.createKafkaUser("exchange-a", "consumer"))
                    .isInstanceOf(IdstreamException.class)
                    .hasMessage("cannot create the Kafka user 'exchange-a': it exists already, and its login is not "
                            + "replaced");
            assertLogsIn("exchange-a's first login", first);
        }
    }

    /**
     * A new client logs in with {@code login} (to the platform's brokers unless it names them): a replaced password
     * would fail its SCRAM handshake.
     */
    private static void assertLogsIn(String who, Properties login) throws Exception {
        Properties properties = new Properties();
        properties.putAll(login);
        properties.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "reserved-login-check");
        try (Admin admin = Admin.create(properties)) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).as("%s logs in", who)
                    .isNotBlank();
        }
    }
}
