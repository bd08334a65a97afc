package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.IssuanceEvent;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Dating records to move time: the audit trail and the holder's inbox are deleted by record timestamp, so a consumer
 * whose request carries the record timestamp 0 (1970) would have the audit of its access deleted at the next log
 * clean-up, were the processors' outputs to keep the input's timestamp. They carry the processors' own clock. And a
 * request dated more than five minutes ahead of that clock, which would stay fresh past the replay window, is
 * refused as {@code future-dated}.
 */
@Timeout(60)
class BackDatedRecordsAttackTest extends AttackedTopology {
    static final Instant EPOCH = Instant.ofEpochMilli(0);

    @Test
    void outputsOfRecordsDated1970CarryTheProcessorsClock() {
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, new CredentialHeader(
                UUID.randomUUID().toString(), alice.id, issuer.id, "kyc", harness.now(), 0L), alice.encryption
                .publicKey(), Map.of("country", "DE"));
        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)),
                EPOCH);
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                harness.now());
        harness.requests.pipeInput(alice.id, request, EPOCH);
        harness.requests.pipeInput(alice.id, request, EPOCH);

        Instant clock = Instant.ofEpochMilli(harness.now());
        assertThat(harness.audit.readRecordsToList()).as("the audit of the parked request").isNotEmpty()
                .allSatisfy(r -> assertThat(r.getRecordTime()).as("audit record time").isEqualTo(clock));
        assertThat(harness.inbox.readRecordsToList()).as("the holder's inbox").hasSize(2)
                .allSatisfy(r -> assertThat(r.getRecordTime()).as("inbox record time").isEqualTo(clock));
        assertThat(harness.stored.readRecordsToList()).as("the vault").singleElement()
                .satisfies(r -> assertThat(r.getRecordTime()).as("vault record time").isEqualTo(clock));
        assertThat(harness.rejected.readRecordsToList()).as("the replayed request, rejected").singleElement()
                .satisfies(r -> assertThat(r.getRecordTime()).as("rejected record time").isEqualTo(clock));
    }

    @Test
    void aRequestDatedMoreThanFiveMinutesAheadIsRefused() {
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        AccessRequest nearFuture = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                harness.now() + Duration.ofMinutes(4).toMillis());
        AccessRequest farFuture = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                harness.now() + Duration.ofMinutes(6).toMillis());

        harness.requests.pipeInput(alice.id, nearFuture);
        harness.requests.pipeInput(alice.id, farFuture);

        assertThat(harness.rejections()).as("rejections")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("future-dated", harness.catalog.accessRequests().name()));
    }
}
