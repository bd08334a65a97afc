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

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer accepts a delivery only as the first answer to a request it sent (docs/protocol.md section 8). */
class RequestLedgerTest {
    @TempDir
    Path stateDir;

    private static DeliveryOutcome delivered(String requestId) {
        return new DeliveryOutcome.Delivered(requestId, "alice", "kyc-co", "credential-1", "grant-1",
                Map.of("country", "DE"));
    }

    /** Admits the delivery as {@code ConsumerClient} does: checked, then recorded once it reached the caller. */
    private static DeliveryOutcome admit(RequestLedger ledger, DeliveryOutcome outcome, String position) {
        Map<String, String> answered = new HashMap<>();
        DeliveryOutcome admitted = ledger.admit(outcome, position, answered);
        ledger.answered(answered);
        return admitted;
    }

    private static DeliveryOutcome admit(RequestLedger ledger, DeliveryOutcome outcome) {
        return admit(ledger, outcome, "");
    }

    @Test
    void aDeliveryForARequestNeverSentIsRefusedAsUnsolicited() {
        RequestLedger ledger = RequestLedger.inMemory();

        assertThat(admit(ledger, delivered("request-1"))).isEqualTo(new DeliveryOutcome.Refused("request-1",
                Check.UNSOLICITED, "request request-1 is not one this consumer sent"));
    }

    @Test
    void theFirstDeliveryForASentRequestIsAcceptedAndASecondIsRefusedAsRepeated() {
        RequestLedger ledger = RequestLedger.inMemory();
        ledger.sent("request-1");

        assertThat(admit(ledger, delivered("request-1"))).isEqualTo(delivered("request-1"));
        assertThat(admit(ledger, delivered("request-1"))).isEqualTo(new DeliveryOutcome.Refused("request-1",
                Check.REPEATED, "request request-1 was already answered"));
    }

    @Test
    void twoDeliveriesForOneRequestInTheSameBatchAreOneAnswer() {
        RequestLedger ledger = RequestLedger.inMemory();
        ledger.sent("request-1");
        Map<String, String> batch = new HashMap<>();

        assertThat(ledger.admit(delivered("request-1"), "deliveries/0/7", batch))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        assertThat(ledger.admit(delivered("request-1"), "deliveries/0/8", batch)).isEqualTo(
                new DeliveryOutcome.Refused("request-1", Check.REPEATED,
                        "request request-1 was already answered by the delivery at deliveries/0/7"));
    }

    @Test
    void theRecordThatAnsweredReadAgainAtItsPositionIsTheSameAnswerAndACopyElsewhereIsRepeated() {
        // A subscription reading its topic again from the start meets the answer again: that is no second answer.
        RequestLedger ledger = RequestLedger.inMemory();
        ledger.sent("request-1");
        admit(ledger, delivered("request-1"), "deliveries/0/7");

        assertThat(admit(ledger, delivered("request-1"), "deliveries/0/7")).isEqualTo(delivered("request-1"));
        assertThat(admit(ledger, delivered("request-1"), "deliveries/0/9")).isInstanceOfSatisfying(
                DeliveryOutcome.Refused.class, refused -> assertThat(refused.failedCheck()).isEqualTo(Check.REPEATED));
        assertThat(admit(ledger, delivered("request-1"), "")).as("a delivery verified without its position")
                .isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                        refused -> assertThat(refused.failedCheck()).isEqualTo(Check.REPEATED));
    }

    @Test
    void aBatchNotRecordedIsAdmittedAgainWhenReadAgain() {
        // A subscription that fails mid-batch reads it again: what it never handed over was not an answer.
        RequestLedger ledger = RequestLedger.inMemory();
        ledger.sent("request-1");
        ledger.admit(delivered("request-1"), "deliveries/0/7", new HashMap<>());

        assertThat(admit(ledger, delivered("request-1"), "deliveries/0/8")).isInstanceOf(
                DeliveryOutcome.Delivered.class);
    }

    @Test
    void aRefusalOrANoticeIsPassedOnUntouched() {
        RequestLedger ledger = RequestLedger.inMemory();
        DeliveryOutcome refused = new DeliveryOutcome.Refused("request-9", Check.HOLDER_SIGNATURE, "forged");

        assertThat(admit(ledger, refused)).isSameAs(refused);
    }

    @Test
    void aLedgerKeptInAStateDirKnowsAfterARestartWhatWasSentAndAnswered() throws Exception {
        RequestLedger before = RequestLedger.in(stateDir, "exchange-a");
        before.sent("request-1");
        before.sent("request-2");
        admit(before, delivered("request-1"), "deliveries/0/7");

        RequestLedger after = RequestLedger.in(stateDir, "exchange-a");

        assertThat(after.status("request-1")).isEqualTo(RequestLedger.Status.ANSWERED);
        assertThat(after.status("request-2")).isEqualTo(RequestLedger.Status.OPEN);
        assertThat(after.status("request-3")).isEqualTo(RequestLedger.Status.UNSOLICITED);
        Path file = stateDir.resolve("exchange-a").resolve("requests");
        assertThat(Files.readAllLines(file)).containsExactly("sent request-1", "sent request-2",
                "answered request-1 deliveries/0/7");
        assertThat(admit(after, delivered("request-1"), "deliveries/0/7")).as("the answer read again after a restart")
                .isEqualTo(delivered("request-1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aRequestSentByAnotherProcessOfTheConsumerIsKnownWhenItsAnswerArrives() {
        RequestLedger reader = RequestLedger.in(stateDir, "exchange-a");
        RequestLedger requester = RequestLedger.in(stateDir, "exchange-a");

        requester.sent("request-1");

        assertThat(admit(reader, delivered("request-1"))).isEqualTo(delivered("request-1"));
        assertThat(List.of(requester.status("request-1"), reader.status("request-1")))
                .containsExactly(RequestLedger.Status.ANSWERED, RequestLedger.Status.ANSWERED);
    }
}
