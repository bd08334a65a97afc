package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.ToBeSigned;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.GrantRecords;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every kind of bad input lands in the rejected topic with its original bytes and a reason, is counted by reason,
 * and processing goes on: the good record after it is still answered.
 */
class BadInputTopologyTest extends RegisteredPartiesFixture {
    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesCredential() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void bytesThatAreNotAvroAreKeptWithTheirReason() {
        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x42;
        List<String> topics = List.of(harness.catalog.directory().name(), harness.catalog.credentialsIssued().name(),
                harness.catalog.accessRequests().name(), harness.catalog.accessDecisions().name());
        topics.forEach(topic -> harness.pipeRaw(topic, "alice", garbage));

        List<TopologyHarness.RejectedRecord> rejected = harness.rejections();
        assertThat(rejected).hasSize(4).allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo("not-avro");
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(r.detail()).contains("0x42");
        });
        assertThat(rejected).extracting(TopologyHarness.RejectedRecord::sourceTopic)
                .containsExactlyInAnyOrderElementsOf(topics);
        assertThat(rejectedCount("not-avro")).isEqualTo(4.0);
        stillAnswersAGoodRequest();
    }

    @Test
    void unknownSchemaIdAndTruncatedAvro() {
        harness.pipeRaw(harness.catalog.accessRequests().name(), "alice", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4});
        byte[] good = harness.catalog.accessRequests().valueSerde().serializer().serialize(
                harness.catalog.accessRequests().name(),
                TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"), harness.now()));
        harness.pipeRaw(harness.catalog.accessRequests().name(), "alice", java.util.Arrays.copyOf(good, 20));
        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("unknown-schema", "not-avro");
    }

    @Test
    void forgedReplayedOrMisaddressedRequests() {
        AccessRequest genuine = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                harness.now());
        AccessRequest widened = AccessRequest.newBuilder(genuine).setFields(List.of("age_over_18", "country")).build();
        harness.requests.pipeInput("alice", widened);
        harness.requests.pipeInput("alice", genuine);
        harness.requests.pipeInput("alice", genuine);
        harness.requests.pipeInput("bob", TopologyHarness.signedRequest(exchange, alice, "kyc", "",
                List.of("country"), harness.now()));
        Party ghost = new Party("ghost", "holder");
        harness.requests.pipeInput("ghost", TopologyHarness.signedRequest(exchange, ghost, "kyc", "",
                List.of("country"), harness.now()));
        Party stranger = new Party("stranger", "consumer");
        harness.requests.pipeInput("alice", TopologyHarness.signedRequest(stranger, alice, "kyc", "",
                List.of("country"), harness.now()));
        harness.requests.pipeInput("alice", TopologyHarness.signedRequest(exchange, alice, "kyc", "",
                List.of("country"), harness.now() - Duration.ofDays(8).toMillis()));

        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason).containsExactly(
                "bad-signature", "replay", "key-mismatch", "unknown-holder", "unknown-principal", "stale");
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(n -> n.getKind())
                .containsExactly(NoticeKind.PENDING);
    }

    @Test
    void decisionsOnSomeoneElsesThings() {
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        // Bob grants access to Alice's credential: it is not in Bob's vault.
        Grant foreign = TopologyHarness.signedGrant(alice, exchange, credential, "", List.of("country"),
                harness.now(), 0L, 0);
        Grant asBob = Grant.newBuilder(foreign).setHolderId("bob").build();
        harness.decisions.pipeInput("bob", new DecisionEvent(asBob));
        // Bob denies Alice's request.
        harness.decisions.pipeInput("bob", new DecisionEvent(DecisionRecords.denial(bob.signing,
                request.getRequestId(), "bob", harness.now())));
        // Someone signs a denial in Alice's name with Bob's key.
        harness.decisions.pipeInput("alice", new DecisionEvent(DecisionRecords.denial(bob.signing,
                request.getRequestId(), "alice", harness.now())));

        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("bad-signature", "unknown-request", "bad-signature");
        // Bob signs, in his own name, a grant of Alice's credential: his signature is good, the credential is not his.
        harness.decisions.pipeInput("bob", new DecisionEvent(resignedBy(bob, asBob)));
        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("not-owner");
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).isEmpty();
        // The request still waits, untouched by the forged decisions: the consumer heard PENDING and nothing else,
        // and Alice's own denial still finds it.
        assertThat(notices(events)).extracting(n -> n.getKind(), n -> n.getRequestId())
                .containsExactly(tuple(NoticeKind.PENDING, request.getRequestId()));
        harness.deny(alice, request.getRequestId());
        assertThat(harness.rejections()).as("rejections of Alice's own denial").isEmpty();
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(n -> n.getKind())
                .containsExactly(NoticeKind.DENIED);
    }

    @Test
    void credentialsThatMustNotBeStored() {
        Party unaccredited = harness.register("cheap-kyc", "issuer");
        harness.issue(unaccredited, alice, "kyc", Map.of("country", "DE"));

        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            tooMany.put("field_" + i, "v");
        }
        harness.issue(issuer, alice, "kyc", tooMany);

        Credentials.IssuedCredential other = Credentials.issue(issuer.signing, new CredentialHeader(
                UUID.randomUUID().toString(), "alice", "kyc-co", "kyc", 1L, 0L),
                alice.encryption.publicKey(), Map.of("country", "DE"));
        CredentialIssued tampered = CredentialIssued.newBuilder(CredentialRecords.toAvro(other)).setType("premium")
                .build();
        harness.issued.pipeInput("alice", new IssuanceEvent(tampered));

        Party ghost = new Party("ghost", "holder");
        harness.issue(issuer, ghost, "kyc", Map.of("country", "DE"));

        List<EncryptedField> unsorted = new ArrayList<>(CredentialRecords.toAvro(credential).getFields());
        java.util.Collections.reverse(unsorted);
        harness.issued.pipeInput("alice", new IssuanceEvent(CredentialIssued.newBuilder(
                CredentialRecords.toAvro(credential)).setFields(unsorted).build()));

        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason).containsExactly(
                "not-accredited", "oversize", "bad-signature", "unknown-holder", "malformed");
    }

    @Test
    void missingDeliveryTopicIsNamed() {
        harness.deliveryTopics.remove("exchange-a");
        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(harness.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("no-delivery-topic");
            assertThat(r.detail()).contains("exchange-a");
        });
        assertThat(harness.deliveryTopics).as("delivery topics, after a registered consumer's request found none")
                .contains("exchange-a");
    }

    private static Grant resignedBy(Party holder, Grant grant) {
        return Grant.newBuilder(grant).setSignature(ByteBuffer.wrap(holder.signing.sign(
                ToBeSigned.grant(GrantRecords.statement(grant))))).build();
    }

    private void stillAnswersAGoodRequest() {
        harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).hasSize(1);
    }

    private double rejectedCount(String reason) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : harness.driver.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("rejected-total") && reason.equals(name.tags().get("reason"))) {
                total += (Double) entry.getValue().metricValue();
            }
        }
        return total;
    }
}
