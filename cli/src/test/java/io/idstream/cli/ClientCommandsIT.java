package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.Ports;
import io.idstream.sdk.Identity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walkthrough, command by command, against a running platform, the holder's commands through its holder
 * gateway: what each prints, and its exit code; and bad input, each refused with one line on stderr and nothing
 * written to Kafka.
 */
@Timeout(240)
class ClientCommandsIT {
    @TempDir
    static Path dir;
    static Platform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(dir);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void walkthrough() throws Exception {
        assertThat(ok("identity", "create", "--role", "issuer", "--id", "kyc-co", "--name", "KYC Co"))
                .isEqualTo("kyc-co");
        assertThat(ok("operator", "accredit", "--issuer", "kyc-co", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString())).isEqualTo("kyc-co");
        ok("identity", "create", "--role", "holder", "--id", "alice");
        ok("identity", "create", "--role", "consumer", "--id", "exchange-a");
        assertThat(Files.getPosixFilePermissions(dir.resolve("keys/alice/signing.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        String consentRequestId = ok("consent", "request", "--issuer", "kyc-co", "--holder", "alice", "--type",
                "kyc", "--purpose", "KYC onboarding");
        CliRun.eventually(() -> ok("issuers", "--holder", "alice"), s -> s.contains(consentRequestId));
        ok("allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc", "--consent-request",
                consentRequestId);
        String credentialId = CliRun.eventually(() -> ok("issue", "--issuer", "kyc-co", "--holder", "alice",
                "--type", "kyc", "--field", "country=DE", "--field", "age_over_18=true", "--field",
                "full_name=Alice Example"), id -> id.matches("[0-9a-f-]{36}"));
        assertThat(credentialId).matches("[0-9a-f-]{36}");
        String requestId = CliRun.eventually(() -> ok("request", "--consumer", "exchange-a", "--holder", "alice",
                "--type", "kyc", "--fields", "country,age_over_18", "--purpose", "onboarding"),
                id -> id.matches("[0-9a-f-]{36}"));
        String inbox = CliRun.eventually(() -> ok("inbox", "--holder", "alice"), s -> s.contains(requestId));
        assertThat(inbox).contains("exchange-a", "[age_over_18, country]", "onboarding");

        // Over the gateway the holder trusts a consumer's key only under an operator key she pins: not yet.
        CliRun unaccredited = run("approve", "--holder", "alice", "--request", requestId);
        assertThat(unaccredited.exitCode()).as("approving a consumer no operator accredited; stderr: %s",
                unaccredited.err()).isEqualTo(1);
        assertThat(unaccredited.errLines()).singleElement().asString()
                .startsWith("idstream approve: no grant to 'exchange-a': ");
        assertThat(ok("operator", "accredit", "--consumer", "exchange-a", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString())).isEqualTo("exchange-a");

        String grantId = ok("approve", "--holder", "alice", "--request", requestId, "--expires", "30d",
                "--uses", "5");
        assertThat(grantId).matches("[0-9a-f-]{36}");
        String deliveries = CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"),
                s -> s.contains("DELIVERED"));
        assertThat(deliveries).contains("DELIVERED  " + requestId, "[age_over_18, country]", "verified")
                .doesNotContain("Alice Example");
        // The values it was granted, short as they are, are not printed either.
        PrintedValues.assertNoneIn(deliveries, Map.of("country", "DE", "age_over_18", "true"), "deliveries");
        String audit = CliRun.eventually(() -> ok("audit", "--holder", "alice", "--json"),
                s -> s.contains("DELIVERED"));
        assertThat(audit).contains("\"outcome\":\"DELIVERED\"", "\"grantId\":\"" + grantId + "\"");

        ok("revoke", "--holder", "alice", "--grant", grantId);
        // The notice names the grant that ended, the holder who ended it, and why.
        assertThat(CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"), s -> s.contains("REVOKED")))
                .contains("REVOKED    " + grantId + "  alice  the holder revoked the grant");

        // Ending the consent: the issuer's next credential is refused, and its command says why in one line.
        assertThat(ok("disallow-issuer", "--holder", "alice", "--issuer", "kyc-co")).isEqualTo("1");
        CliRun.eventually(() -> ok("issuers", "--holder", "alice"), s -> !s.contains("ALLOWED"));
        CliRun refused = await().atMost(Duration.ofSeconds(60)).until(() -> run("issue", "--issuer", "kyc-co",
                "--holder", "alice", "--type", "kyc", "--field", "country=FR"),
                r -> r.exitCode() == IdstreamCommand.EXIT_FAILED);
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("idstream issue: refused: no-write-grant: no write grant of holder 'alice' in force "
                        + "allows 'kyc-co' to write credentials of type 'kyc'");
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        ok("identity", "create", "--role", "holder", "--id", "bob");
        long before = totalRecords();

        assertRefused(2, "idstream issue: --field 'Not A Name...' is not NAME=VALUE with a name of lowercase "
                        + "letters, digits and _ (see 'idstream issue --help')",
                "issue", "--issuer", "kyc-co", "--holder", "bob", "--type", "kyc", "--field", "Not A Name=1");
        assertRefused(1, "idstream request: no keys for 'nobody' in " + dir.resolve("keys")
                        + " (create them with 'idstream identity create')",
                "request", "--consumer", "nobody", "--holder", "bob", "--type", "kyc", "--fields", "country",
                "--purpose", "p");
        assertRefused(1, "idstream issue: 'bob' has the role holder, not issuer",
                "issue", "--issuer", "bob", "--holder", "bob", "--type", "kyc", "--field", "country=DE");
        assertRefused(1, "idstream request: 'bob' has the role holder, not consumer", "request", "--consumer", "bob",
                "--holder", "bob", "--type", "kyc", "--fields", "country", "--purpose", "p");

        CliRun unknownHolder = run("identity", "create", "--role", "consumer", "--id", "shop-c");
        assertThat(unknownHolder.exitCode()).isZero();
        assertRefused(1, "idstream request: 'ghost' is not registered", "request", "--consumer", "shop-c",
                "--holder", "ghost", "--type", "kyc", "--fields", "country", "--purpose", "p");
        assertRefused(2, "idstream approve: --uses must be a number from 1 to 2147483647, or 'unlimited', not '-1' "
                + "(see 'idstream approve --help')", "approve", "--holder", "bob", "--request", "r", "--uses", "-1");

        long afterRegistration = totalRecords();
        // Of all that, only shop-c's registration reached Kafka.
        assertThat(afterRegistration - before).isEqualTo(1);

        CliRun unreachable = run("inbox", "--holder", "bob", "--gateway-url", "http://127.0.0.1:"
                + Ports.freePort(), "--timeout", "3");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.errLines()).singleElement().asString()
                .startsWith("idstream inbox: cannot reach the gateway at http://127.0.0.1:");
    }

    @Test
    void holderCommandsTakeNoKafkaOptions() {
        for (String option : List.of("--bootstrap-servers", "--schema-registry-url", "--command-config")) {
            CliRun refused = CliRun.of("inbox", "--holder", "bob", option, "x", "--keys", dir.resolve("keys")
                    .toString());
            assertThat(refused.exitCode()).as("inbox with %s", option).isEqualTo(IdstreamCommand.EXIT_USAGE);
            assertThat(refused.errLines()).containsExactly("idstream inbox: " + option + " is not used: holder "
                    + "commands reach the platform through the holder gateway (--gateway-url), with the holder's "
                    + "own keys only (see 'idstream inbox --help')");
        }
        CliRun holderOnKafka = CliRun.of("identity", "create", "--role", "holder", "--id", "dave",
                "--bootstrap-servers", platform.bootstrapServers(), "--keys", dir.resolve("keys").toString());
        assertThat(holderOnKafka.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(holderOnKafka.errLines()).singleElement().asString().startsWith("idstream identity create: "
                + "--bootstrap-servers is not used: a holder registers through the holder gateway");
        assertThat(dir.resolve("keys/dave")).doesNotExist();
    }

    @Test
    void aGatewayRefusalIsOneLineNamingItsCode() {
        // Keys the directory never saw: the gateway knows no such holder, whatever the signature.
        Identity.create(dir.resolve("keys"), "unregistered", "holder");

        CliRun refused = run("inbox", "--holder", "unregistered");

        assertThat(refused.exitCode()).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("idstream inbox: the gateway refused: 401 unknown-holder");
        assertThat(refused.out()).isEmpty();
    }

    private long totalRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            // The topics clients write; the processors' own outputs are transactional, with markers among offsets.
            for (String topic : List.of(platform.catalog().directory().name(),
                    platform.catalog().credentialsIssued().name(),
                    platform.catalog().accessRequests().name(), platform.catalog().accessDecisions().name())) {
                for (int p = 0; p < platform.catalog().partitions(); p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    /** Asserts that the command exits with {@code exitCode}, prints nothing and writes just {@code line} on stderr. */
    private static void assertRefused(int exitCode, String line, String... args) {
        CliRun refused = run(args);
        assertThat(refused.exitCode()).as("exit code of %s; stderr: %s", refused.args(), refused.err())
                .isEqualTo(exitCode);
        assertThat(refused.errLines()).containsExactly(line);
        assertThat(refused.out()).isEmpty();
    }

    private static String ok(String... args) {
        return run(args).ok();
    }

    private static CliRun run(String... args) {
        return CliRun.onPlatform(platform, dir.resolve("keys").toString(), List.of(args));
    }
}
