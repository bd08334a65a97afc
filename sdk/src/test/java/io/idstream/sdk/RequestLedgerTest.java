package io.idstream.sdk;

import io.idstream.crypto.DeliveryVerification.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A consumer accepts a delivery only as the first answer to a request it sent (docs/protocol.md section 8). */
class RequestLedgerTest {
    @TempDir
    Path stateDir;

    private static final String R1 = "3f0c7a52-8a7e-4c55-9d2b-0b6f4a1e0001";
    private static final String R2 = "3f0c7a52-8a7e-4c55-9d2b-0b6f4a1e0002";
    private static final String R3 = "3f0c7a52-8a7e-4c55-9d2b-0b6f4a1e0003";
    private static final String R9 = "3f0c7a52-8a7e-4c55-9d2b-0b6f4a1e0009";
    /** What exchange-a asked alice for. */
    private static final RequestLedger.Request ASKED = new RequestLedger.Request("alice", "kyc", "", "onboarding",
            Set.of("country", "name"));
    /** What a genuine answer to it carries. */
    private static final RequestLedger.Answer GIVEN = new RequestLedger.Answer("exchange-a", "alice", "kyc",
            "credential-1", "onboarding", Set.of("country"));

    private static DeliveryOutcome delivered(String requestId) {
        return new DeliveryOutcome.Delivered(requestId, "alice", "kyc-co", "credential-1", "grant-1",
                Map.of("country", "DE"));
    }

    /** Admits the delivery as {@code ConsumerClient} does: checked, then recorded once it reached the caller. */
    private static DeliveryOutcome admit(RequestLedger ledger, DeliveryOutcome outcome, String position) {
        Map<String, String> answered = new HashMap<>();
        DeliveryOutcome admitted = ledger.admit(outcome, GIVEN, position, answered);
        ledger.answered(answered);
        return admitted;
    }

    private static DeliveryOutcome admit(RequestLedger ledger, DeliveryOutcome outcome) {
        return admit(ledger, outcome, "");
    }

    @Test
    void aDeliveryForARequestNeverSentIsRefusedAsUnsolicited() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");

        assertThat(admit(ledger, delivered(R1))).isEqualTo(new DeliveryOutcome.Refused(R1,
                Check.UNSOLICITED, "request " + R1 + " is not one this consumer sent"));
    }

    @Test
    void theFirstDeliveryForASentRequestIsAcceptedAndASecondIsRefusedAsRepeated() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);

        assertThat(admit(ledger, delivered(R1))).isEqualTo(delivered(R1));
        assertThat(admit(ledger, delivered(R1))).isEqualTo(new DeliveryOutcome.Refused(R1,
                Check.REPEATED, "request " + R1 + " was already answered"));
    }

    @Test
    void twoDeliveriesForOneRequestInTheSameBatchAreOneAnswer() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);
        Map<String, String> batch = new HashMap<>();

        assertThat(ledger.admit(delivered(R1), GIVEN, "deliveries/0/7", batch))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(ledger.admit(delivered(R1), GIVEN, "deliveries/0/8", batch)).isEqualTo(
                new DeliveryOutcome.Refused(R1, Check.REPEATED,
                        "request " + R1 + " was already answered by the delivery at deliveries/0/7"));
    }

    @Test
    void theRecordThatAnsweredReadAgainAtItsPositionIsTheSameAnswerAndACopyElsewhereIsRepeated() {
        // A subscription reading its topic again from the start meets the answer again: that is no second answer.
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);
        admit(ledger, delivered(R1), "deliveries/0/7");

        assertThat(admit(ledger, delivered(R1), "deliveries/0/7")).isEqualTo(delivered(R1));
        assertThat(admit(ledger, delivered(R1), "deliveries/0/9")).isInstanceOfSatisfying(
                DeliveryOutcome.Refused.class, refused -> assertThat(refused.failedCheck()).isEqualTo(Check.REPEATED));
        assertThat(admit(ledger, delivered(R1), "")).as("a delivery verified without its position")
                .isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                        refused -> assertThat(refused.failedCheck()).isEqualTo(Check.REPEATED));
    }

    @Test
    void aBatchNotRecordedIsAdmittedAgainWhenReadAgain() {
        // A subscription that fails mid-batch reads it again: what it never handed over was not an answer.
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);
        Map<String, String> thrownAway = new HashMap<>();
        ledger.admit(delivered(R1), GIVEN, "deliveries/0/7", thrownAway);
        ledger.release(thrownAway);

        assertThat(admit(ledger, delivered(R1), "deliveries/0/8")).isInstanceOf(
                DeliveryOutcome.Delivered.class);
    }

    @Test
    void aRefusalOrANoticeIsPassedOnUntouched() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        DeliveryOutcome refused = new DeliveryOutcome.Refused(R9, Check.HOLDER_SIGNATURE, "forged");

        assertThat(admit(ledger, refused)).isSameAs(refused);
    }

    @Test
    void aLedgerKeptInAStateDirKnowsAfterARestartWhatWasSentAndAnswered() throws Exception {
        RequestLedger before = RequestLedger.in(stateDir, "exchange-a");
        before.sent(R1, ASKED);
        before.sent(R2, ASKED);
        admit(before, delivered(R1), "deliveries/0/7");

        RequestLedger after = RequestLedger.in(stateDir, "exchange-a");

        assertThat(after.status(R1)).isEqualTo(RequestLedger.Status.ANSWERED);
        assertThat(after.status(R2)).isEqualTo(RequestLedger.Status.OPEN);
        assertThat(after.status(R3)).isEqualTo(RequestLedger.Status.UNSOLICITED);
        Path file = stateDir.resolve("exchange-a").resolve("requests");
        assertThat(Files.readAllLines(file)).containsExactly("sent " + R1 + " alice kyc - onboarding country,name",
                "sent " + R2 + " alice kyc - onboarding country,name",
                "answered " + R1 + " deliveries/0/7");
        assertThat(admit(after, delivered(R1), "deliveries/0/7")).as("the answer read again after a restart")
                .isEqualTo(delivered(R1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aRequestSentByAnotherProcessOfTheConsumerIsKnownWhenItsAnswerArrives() {
        RequestLedger reader = RequestLedger.in(stateDir, "exchange-a");
        RequestLedger requester = RequestLedger.in(stateDir, "exchange-a");

        requester.sent(R1, ASKED);

        assertThat(admit(reader, delivered(R1))).isEqualTo(delivered(R1));
        assertThat(List.of(requester.status(R1), reader.status(R1)))
                .containsExactly(RequestLedger.Status.ANSWERED, RequestLedger.Status.ANSWERED);
    }

    private static DeliveryOutcome admitAs(RequestLedger ledger, RequestLedger.Answer answer) {
        return ledger.admit(delivered(R1), answer, "", new HashMap<>());
    }

    private static String refusal(DeliveryOutcome outcome) {
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Refused.class);
        DeliveryOutcome.Refused refused = (DeliveryOutcome.Refused) outcome;
        return refused.failedCheck() + ": " + refused.reason();
    }

    @Test
    void aGenuineDeliveryRelabelledAsTheAnswerToAnotherRequestIsRefusedWhenItDiffersFromWhatWasAsked() {
        // The delivery's outer request id is not signed: a writer of the delivery topic can put any open one on it.
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);

        assertThat(refusal(admitAs(ledger, new RequestLedger.Answer("exchange-a", "bob", "kyc", "credential-1",
                "onboarding", Set.of("country"))))).isEqualTo("UNSOLICITED: the delivery does not answer request "
                + R1 + ": it is from holder 'bob', the request was sent to 'alice'");
        assertThat(refusal(admitAs(ledger, new RequestLedger.Answer("exchange-a", "alice", "kyc", "credential-1",
                "marketing", Set.of("country"))))).endsWith(
                "its grant is for the purpose 'marketing', the request's is 'onboarding'");
        assertThat(refusal(admitAs(ledger, new RequestLedger.Answer("exchange-a", "alice", "diploma",
                "credential-1", "onboarding", Set.of("country"))))).endsWith(
                "it carries a credential of type 'diploma', the request asked for 'kyc'");
        assertThat(refusal(admitAs(ledger, new RequestLedger.Answer("exchange-a", "alice", "kyc", "credential-1",
                "onboarding", Set.of("country", "birthdate"))))).endsWith(
                "it discloses fields [birthdate] the request did not ask for");
        assertThat(refusal(admitAs(ledger, new RequestLedger.Answer("exchange-b", "alice", "kyc", "credential-1",
                "onboarding", Set.of("country"))))).endsWith(
                "it is addressed to 'exchange-b', not to this consumer 'exchange-a'");
        assertThat(admitAs(ledger, GIVEN)).as("the genuine answer, after all the forgeries")
                .isEqualTo(delivered(R1));
    }

    @Test
    void aRequestForOneNamedCredentialIsAnsweredOnlyByThatCredential() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, new RequestLedger.Request("alice", "", "credential-7", "onboarding", Set.of("country")));

        assertThat(refusal(admitAs(ledger, GIVEN))).endsWith(
                "it carries credential 'credential-1', the request asked for 'credential-7'");
    }

    @Test
    void twoBatchesAdmittingAnswersToOneRequestBeforeEitherIsRecordedAdmitOnlyOne() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);

        DeliveryOutcome first = ledger.admit(delivered(R1), GIVEN, "deliveries/0/7", new HashMap<>());
        DeliveryOutcome second = ledger.admit(delivered(R1), GIVEN, "deliveries/0/8", new HashMap<>());

        assertThat(first).isEqualTo(delivered(R1));
        assertThat(refusal(second)).isEqualTo("REPEATED: request " + R1
                + " was already answered by the delivery at deliveries/0/7");
    }

    private static DeliveryOutcome.Notice denied(String requestId, String holderId) {
        return new DeliveryOutcome.Notice(requestId, io.idstream.avro.NoticeKind.DENIED, holderId, "", "", "no");
    }

    @Test
    void aNoticeAboutARequestIsTakenOnlyFromTheHolderItWasSentTo() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");
        ledger.sent(R1, ASKED);

        assertThat(refusal(admit(ledger, denied(R1, "mallory")))).isEqualTo("NOTICE_STATEMENT: DENIED notice about "
                + "request " + R1 + " is from holder 'mallory', the request was sent to 'alice'");
        assertThat(refusal(admit(ledger, denied(R2, "alice")))).isEqualTo("UNSOLICITED: DENIED notice about "
                + "request " + R2 + ", which is not one this consumer sent");
        assertThat(admit(ledger, denied(R1, "alice"))).isEqualTo(denied(R1, "alice"));
    }

    @Test
    void aRequestIdThatIsNotAUuidIsRefusedSoThatItCannotAddALineToTheLedger() {
        RequestLedger ledger = RequestLedger.inMemory("exchange-a");

        assertThatThrownBy(() -> ledger.sent(R1 + "\nsent " + R2, RequestLedger.Request.ANY))
                .isInstanceOf(IdstreamException.class).hasMessageStartingWith("a request id is a UUID");
        assertThat(ledger.status(R2)).isEqualTo(RequestLedger.Status.UNSOLICITED);
    }

    @Test
    void aLineOfAnOlderLedgerKnowsOnlyTheIdAndTakesAnAnswerFromAnyHolder() throws Exception {
        Path dir = Files.createDirectory(stateDir.resolve("exchange-a"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(Files.createFile(dir.resolve("requests"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                "sent " + R1 + "\n");

        RequestLedger ledger = RequestLedger.in(stateDir, "exchange-a");

        assertThat(admitAs(ledger, new RequestLedger.Answer("exchange-a", "bob", "diploma", "credential-1",
                "marketing", Set.of("grade")))).isEqualTo(delivered(R1));
    }

    @Test
    void aLedgerIsMadeForItsConsumerAloneAndOneOthersMayReadOrWriteIsRefused() throws Exception {
        RequestLedger.in(stateDir, "exchange-a");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("exchange-a"))))
                .isEqualTo("rwx------");

        Path file = stateDir.resolve("exchange-a").resolve("requests");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> RequestLedger.in(stateDir, "exchange-a")).isInstanceOf(IdstreamException.class)
                .hasMessageEndingWith("is rw-rw-rw-: its group or others may read or change it");

        Path elsewhere = Files.createDirectory(stateDir.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(stateDir.resolve("exchange-b"), elsewhere);
        assertThatThrownBy(() -> RequestLedger.in(stateDir, "exchange-b")).isInstanceOf(IdstreamException.class)
                .hasMessageContaining("is a symbolic link");
    }
}
