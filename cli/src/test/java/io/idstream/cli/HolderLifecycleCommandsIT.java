package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.Platform;
import io.idstream.sdk.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder's life through the command line, against a running platform: an issuer is refused until the holder allows
 * it ({@code consent request}, {@code issuers}, {@code allow-issuer}), then stored; the holder rotates her keys, backs
 * them up, loses the keys directory and recovers it from the passphrase alone, and then approves a request with the
 * recovered keys; her export holds every credential opened and every audit entry; a rotation replaces the backup
 * with one of the new keys. The backup's passphrase travels
 * only in the environment of the command, run as a user runs it.
 */
@Timeout(300)
class HolderLifecycleCommandsIT {
    private static final Path JAR = Path.of("target/idstream.jar");
    private static final String PASSPHRASE = "Wombat-Backup-Passphrase-5521";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Platform platform;
    static Path keys;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(dir);
        keys = dir.resolve("keys");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void consentRotationBackupRecoveryAndExport() throws Exception {
        ok("identity", "create", "--role", "issuer", "--id", "kyc-co", "--name", "KYC Co");
        ok("operator", "accredit", "--issuer", "kyc-co", "--operator-key", operatorKey());
        ok("identity", "create", "--role", "holder", "--id", "alice");
        ok("identity", "create", "--role", "consumer", "--id", "exchange-a");
        ok("operator", "accredit", "--consumer", "exchange-a", "--operator-key", operatorKey());
        String[] issue = {"issue", "--issuer", "kyc-co", "--holder", "alice", "--type", "kyc",
                "--field", "country=DE", "--field", "full_name=Alice Example"};

        // Given no consent, the issuer's credential is refused, and its command says why in one line.
        CliRun refused = run(issue);
        assertThat(refused.exitCode()).as("issue without a write grant; stderr: %s", refused.err())
                .isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("idstream issue: refused: no-write-grant: ");
        assertThat(refused.out()).isEmpty();

        // When the issuer asks and the holder allows it, in answer to that request,
        String consentRequestId = ok("consent", "request", "--issuer", "kyc-co", "--holder", "alice", "--type", "kyc",
                "--purpose", "KYC onboarding");
        assertThat(CliRun.eventually(() -> ok("issuers", "--holder", "alice"), s -> s.contains(consentRequestId)))
                .contains("ASKS       " + consentRequestId + "  kyc-co  asks to write [kyc]  purpose: KYC onboarding");
        String writeGrantId = ok("allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc",
                "--consent-request", consentRequestId);
        assertThat(CliRun.eventually(() -> ok("issuers", "--holder", "alice"), s -> s.contains(writeGrantId)))
                .contains("ALLOWED    " + writeGrantId + "  kyc-co  may write [kyc] until ")
                .doesNotContain("ASKS");

        // then the issuer's credential is stored, and the command prints its id.
        String credentialId = CliRun.eventually(() -> ok(issue), id -> id.matches("[0-9a-f-]{36}"));

        // The holder rotates her keys: the files change, and no half-made next/ is left.
        String keysBefore = publicKeysOf("alice");
        assertThat(ok("identity", "rotate", "--id", "alice", "--gateway-url", platform.gatewayUrl().toString()))
                .isEqualTo("alice");
        assertThat(publicKeysOf("alice")).as("alice's public keys after the rotation").isNotEqualTo(keysBefore);
        assertThat(keys.resolve("alice/next")).doesNotExist();

        // She backs them up on the platform, loses her keys directory, and recovers it from the passphrase alone.
        JarRun backup = idstream(PASSPHRASE, "identity", "backup", "--id", "alice");
        assertThat(backup.exitCode).as("backup; stderr: %s", backup.err).isZero();
        String rotatedKeys = publicKeysOf("alice");
        deleteTree(keys.resolve("alice"));
        JarRun wrong = idstream("not-" + PASSPHRASE, "identity", "recover", "--id", "alice");
        assertThat(wrong.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(wrong.err.lines().toList()).singleElement().asString()
                .startsWith("idstream identity recover: ").contains("wrong passphrase (or the backup was altered)");
        assertThat(keys.resolve("alice")).doesNotExist();
        JarRun recovered = idstream(PASSPHRASE, "identity", "recover", "--id", "alice");
        assertThat(recovered.exitCode).as("recover; stderr: %s", recovered.err).isZero();
        assertThat(recovered.out.strip()).isEqualTo("alice");
        assertThat(publicKeysOf("alice")).as("the recovered keys are the rotated ones").isEqualTo(rotatedKeys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("alice/signing.pem"))))
                .isEqualTo("rw-------");
        for (JarRun run : List.of(backup, wrong, recovered)) {
            assertThat(run.out + run.err).as("what %s printed", run.args).doesNotContain(PASSPHRASE)
                    .doesNotContain("PRIVATE KEY");
        }

        // With the recovered keys she approves a consumer's request, which the consumer verifies.
        String requestId = CliRun.eventually(() -> ok("request", "--consumer", "exchange-a", "--holder", "alice",
                "--type", "kyc", "--fields", "country", "--purpose", "onboarding"), id -> id.matches("[0-9a-f-]{36}"));
        CliRun.eventually(() -> ok("inbox", "--holder", "alice"), s -> s.contains(requestId));
        ok("approve", "--holder", "alice", "--request", requestId);
        assertThat(CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"), s -> s.contains("DELIVERED")))
                .contains("DELIVERED  " + requestId, "[country]", "verified");

        // Her export holds the credential opened with her key, and every entry of her audit trail.
        String audit = CliRun.eventually(() -> ok("audit", "--holder", "alice", "--json"),
                s -> s.contains("DELIVERED"));
        Path exported = dir.resolve("alice-export.json");
        CliRun export = run("export", "--holder", "alice", "--out", exported.toString());
        assertThat(export.ok()).isEqualTo(exported.toString());
        assertThat(export.out() + export.err()).doesNotContain("Alice Example");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported))).as("mode of the export")
                .isEqualTo("rw-------");
        JsonNode document = JSON.readTree(exported.toFile());
        assertThat(document.path("holderId").asText()).isEqualTo("alice");
        List<JsonNode> credentials = new ArrayList<>();
        document.path("credentials").forEach(credentials::add);
        assertThat(credentials).singleElement().satisfies(c -> {
            assertThat(c.path("credentialId").asText()).isEqualTo(credentialId);
            assertThat(c.path("fields").path("full_name").asText()).isEqualTo("Alice Example");
            assertThat(c.path("fields").path("country").asText()).isEqualTo("DE");
        });
        List<String> auditedRequests = new ArrayList<>();
        document.path("audit").forEach(a -> auditedRequests.add(a.path("outcome").asText() + " "
                + a.path("requestId").asText()));
        List<String> expectedAudit = audit.lines().map(line -> {
            try {
                JsonNode entry = JSON.readTree(line);
                return entry.path("outcome").asText() + " " + entry.path("requestId").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(auditedRequests).containsAll(expectedAudit).contains("DELIVERED " + requestId);
        CliRun again = run("export", "--holder", "alice", "--out", exported.toString());
        assertThat(again.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);

        // A rotation with her backup on the platform replaces it with one of the new keys: recovering then restores
        // the new keys, where a backup of the replaced ones would be refused as predating the rotation.
        JarRun rotatedAgain = idstream(PASSPHRASE, "identity", "rotate", "--id", "alice");
        assertThat(rotatedAgain.exitCode).as("rotate with a backup; stderr: %s", rotatedAgain.err).isZero();
        String newestKeys = publicKeysOf("alice");
        assertThat(newestKeys).isNotEqualTo(rotatedKeys);
        deleteTree(keys.resolve("alice"));
        JarRun recoveredAgain = idstream(PASSPHRASE, "identity", "recover", "--id", "alice");
        assertThat(recoveredAgain.exitCode).as("recover after the rotation; stderr: %s", recoveredAgain.err).isZero();
        assertThat(publicKeysOf("alice")).as("the backup holds the rotated keys").isEqualTo(newestKeys);
    }

    /** An identity's two public keys in hex: what a test may print, unlike the private keys it compares by. */
    private static String publicKeysOf(String id) {
        Identity identity = Identity.load(keys, id);
        return HexFormat.of().formatHex(identity.signing().publicKey()) + "/"
                + HexFormat.of().formatHex(identity.encryption().publicKey());
    }

    private static String operatorKey() {
        return dir.resolve("data/operator/signing.pem").toString();
    }

    private static String ok(String... args) {
        return run(args).ok();
    }

    private static CliRun run(String... args) {
        return CliRun.onPlatform(platform, keys.toString(), List.of(args));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * A holder's command run as a user runs it, from the built jar in a process of its own with no terminal, the
     * backup passphrase in its environment.
     */
    private static JarRun idstream(String passphrase, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--gateway-url", platform.gatewayUrl().toString(), "--keys", keys.toString(),
                "--operator-keys", HexFormat.of().formatHex(platform.operatorKey().publicKey())));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Files.createTempFile(dir, "out", ".txt").toFile())
                .redirectError(Files.createTempFile(dir, "err", ".txt").toFile());
        builder.environment().put("IDSTREAM_BACKUP_PASSPHRASE", passphrase);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(List.of(args) + " did not end within 90 s");
        }
        return new JarRun(List.of(args), process.exitValue(),
                Files.readString(builder.redirectOutput().file().toPath(), StandardCharsets.UTF_8),
                Files.readString(builder.redirectError().file().toPath(), StandardCharsets.UTF_8));
    }

    private record JarRun(List<String> args, int exitCode, String out, String err) {
    }
}
