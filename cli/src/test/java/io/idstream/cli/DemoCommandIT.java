package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's main job: the demo's story, consent before issuance and a key rotation included, runs end to end on
 * real components, and every stage verifies.
 */
@Timeout(180)
class DemoCommandIT {
    @TempDir
    Path dir;

    @Test
    void everyStageVerifies() {
        CliRun demo = CliRun.of("demo", "--data-dir", dir.toString());

        assertThat(demo.exitCode()).as("exit code; stderr: %s", demo.err()).isZero();
        assertThat(demo.out())
                .contains("1. An issuer asks Alice for consent; until she gives it, its credentials are refused")
                .contains("verified: kyc-provider hears its credential refused without Alice's consent: "
                        + "no-write-grant")
                .contains("verified: kyc-provider hears Alice allowed it to write kyc for a year")
                .contains("verified: kyc-provider hears its credential stored")
                .containsPattern("Platform up: .* gateway\\.url=http://127\\.0\\.0\\.1:\\d+")
                .contains("and alice (through the holder gateway)")
                .contains("verified: exchange-a verified the issuer's and Alice's signatures and decrypted exactly "
                        + "[age_over_18, country]")
                .contains("verified: app-b verified the issuer's and Alice's signatures and decrypted exactly "
                        + "[kyc_level, sanctions_clear]")
                .contains("verified: exchange-a hears REVOKED")
                .contains("verified: exchange-a's next request waits: PENDING")
                .contains("verified: the platform holds her one credential re-keyed to her new key")
                .contains("verified: Alice opens her credential with her new key only")
                .contains("verified: app-b hears KEY_CHANGED")
                .contains("verified: app-b verified the issuer's and Alice's signatures and decrypted exactly "
                        + "[kyc_level]")
                .contains("verified: four deliveries audited")
                .contains("Every stage verified");
        // The demo names fields, never their values: every value, "DE", "2" and "true" included, as a whole token.
        // Its own numbers (stage numbers, the count of fields, timings) are taken out first, so that "2" can be
        // looked for as well.
        String withoutItsOwnNumbers = demo.out().replaceAll("(?m)^\\d+\\. ", "")
                .replaceAll("\\b\\d+ (fields|ms)\\b", "$1");
        PrintedValues.assertNoneIn(withoutItsOwnNumbers, DemoCommand.ALICE_KYC, "the demo's stdout");
        PrintedValues.assertNoneIn(demo.err(), DemoCommand.ALICE_KYC, "the demo's stderr");
    }
}
