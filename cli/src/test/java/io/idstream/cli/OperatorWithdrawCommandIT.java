package io.idstream.cli;

import io.idstream.platform.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idstream operator withdraw}, against a running platform: after the operator withdraws the issuer's
 * accreditation, the holder's standing grant no longer delivers the issuer's credential and the consumer hears why;
 * {@code operator accredit} accredits the issuer again. A principal with no accreditation has none to withdraw.
 */
@Timeout(240)
class OperatorWithdrawCommandIT {
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
    void aWithdrawnIssuersCredentialIsNoLongerDeliveredUntilItIsAccreditedAgain() throws Exception {
        ok("identity", "create", "--role", "issuer", "--id", "kyc-co", "--name", "KYC Co");
        ok("operator", "accredit", "--issuer", "kyc-co", "--operator-key", operatorKey());
        ok("identity", "create", "--role", "holder", "--id", "alice");
        ok("identity", "create", "--role", "consumer", "--id", "exchange-a");
        ok("operator", "accredit", "--consumer", "exchange-a", "--operator-key", operatorKey());
        ok("allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc");
        String credentialId = CliRun.eventually(() -> ok("issue", "--issuer", "kyc-co", "--holder", "alice",
                "--type", "kyc", "--field", "country=DE"), id -> id.matches("[0-9a-f-]{36}"));
        String first = CliRun.eventually(() -> ok("request", "--consumer", "exchange-a", "--holder", "alice",
                "--credential", credentialId, "--fields", "country", "--purpose", "onboarding"),
                id -> id.matches("[0-9a-f-]{36}"));
        CliRun.eventually(() -> ok("inbox", "--holder", "alice"), s -> s.contains(first));
        ok("approve", "--holder", "alice", "--request", first, "--expires", "30d", "--uses", "5");
        CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"), s -> s.contains("DELIVERED  " + first));

        assertThat(ok("operator", "withdraw", "kyc-co", "--operator-key", operatorKey())).isEqualTo("kyc-co");
        String second = requestTheCredential(credentialId);

        assertThat(CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"),
                s -> s.contains(second)))
                .contains("ISSUER_NOT_ACCREDITED " + second + "  alice  the credential's issuer 'kyc-co' is not "
                        + "accredited")
                .doesNotContain("DELIVERED  " + second);

        ok("operator", "accredit", "--issuer", "kyc-co", "--operator-key", operatorKey());
        String third = requestTheCredential(credentialId);
        assertThat(CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"), s -> s.contains(third)))
                .contains("DELIVERED  " + third);
    }

    @Test
    void aPrincipalWithNoAccreditationHasNoneToWithdraw() {
        ok("identity", "create", "--role", "issuer", "--id", "new-issuer", "--name", "New Issuer");

        CliRun refused = run("operator", "withdraw", "new-issuer", "--operator-key", operatorKey());

        assertThat(refused.exitCode()).as("exit code; stderr: %s", refused.err()).isEqualTo(1);
        assertThat(refused.errLines()).containsExactly("idstream operator withdraw: 'new-issuer' is not accredited, "
                + "so it has no accreditation to withdraw");
        assertThat(refused.out()).isEmpty();
    }

    private static String requestTheCredential(String credentialId) {
        return ok("request", "--consumer", "exchange-a", "--holder", "alice", "--credential", credentialId,
                "--fields", "country", "--purpose", "onboarding");
    }

    private static String operatorKey() {
        return dir.resolve("data/operator/signing.pem").toString();
    }

    private static String ok(String... args) {
        return run(args).ok();
    }

    private static CliRun run(String... args) {
        return CliRun.onPlatform(platform, dir.resolve("keys").toString(), List.of(args));
    }
}
