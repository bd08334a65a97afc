package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An accreditation the processors refuse ends {@link OperatorClient#accredit} at once, with the processors' reason
 * from the rejected topic, instead of after the whole propagation timeout; and only the refusal of that very
 * accreditation does. Accrediting again after a withdrawal dated ahead of the operator's clock is not refused as a
 * replay.
 */
class OperatorClientIT {
    @TempDir
    static Path dataDir;
    static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = TestPlatforms.startWithProcessors(dataDir);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anAccreditationByAnOperatorKeyTheProcessorsDoNotTrustIsRefusedWithTheirReason() {
        register("kyc-untrusted");

        try (OperatorClient stranger = new OperatorClient(SigningKeyPair.generate(), platform.clientProperties())) {
            Throwable refusal = catchThrowable(() -> stranger.accredit("kyc-untrusted"));

            assertThat(refusal).as("accrediting with an operator key the processors do not trust")
                    .isInstanceOf(IdstreamException.class)
                    .hasMessage("accreditation of 'kyc-untrusted' was refused (not-accredited): accreditation of "
                            + "'kyc-untrusted' is signed by an operator key the processors do not trust");
        }
    }

    @Test
    void theRefusalOfAnEarlierAccreditationDoesNotEndTheWaitForALaterOne() {
        register("kyc-second-try");
        try (OperatorClient stranger = new OperatorClient(SigningKeyPair.generate(), platform.clientProperties());
             OperatorClient operator = new OperatorClient(platform.operatorKey(), platform.clientProperties())) {
            Throwable first = catchThrowable(() -> stranger.accredit("kyc-second-try"));
            assertThat(first).as("the first accreditation, by an untrusted key").hasMessageContaining("not-accredited");

            operator.accredit("kyc-second-try");

            assertThat(operator.directory().find("kyc-second-try")).get().satisfies(entry ->
                    assertThat(AvroBytes.of(entry.getAccreditation().getOperatorKey()))
                            .as("the operator key of the accreditation in force")
                            .isEqualTo(platform.operatorKey().publicKey()));
        }
    }

    @Test
    void afterWithdrawingAnAccreditationDatedAheadOfThisClockTheOperatorAccreditsAgainAtOnce() {
        register("kyc-clock-behind");
        try (OperatorClient operator = new OperatorClient(platform.operatorKey(), platform.clientProperties())) {
            // Made by an operator whose clock runs an hour ahead: the withdrawal is dated after it, so ahead of now.
            byte[] signingKey = PrincipalRecords.signingKey(operator.directory().find("kyc-clock-behind")
                    .orElseThrow().getPrincipal());
            long anHourAhead = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
            operator.directory().submit(new DirectoryEvent(PrincipalRecords.accreditation(platform.operatorKey(),
                            new AccreditationStatement("kyc-clock-behind", "issuer", signingKey, anHourAhead))),
                    "kyc-clock-behind", entry -> entry.getAccreditation() != null, Duration.ofSeconds(30),
                    "accreditation dated an hour ahead");
            operator.withdraw("kyc-clock-behind");

            operator.accredit("kyc-clock-behind");

            assertThat(operator.directory().find("kyc-clock-behind")).get().satisfies(entry ->
                    assertThat(entry.getAccreditation().getAccreditedAt())
                            .as("the new accreditation's time, against the withdrawal's")
                            .isGreaterThan(entry.getWithdrawal().getWithdrawnAt()));
        }
    }

    private static void register(String issuerId) {
        try (IssuerClient issuer = new IssuerClient(new Identity(issuerId, "issuer", SigningKeyPair.generate(),
                EncryptionKeyPair.generate()), platform.clientProperties())) {
            issuer.register("KYC Co");
        }
    }
}
