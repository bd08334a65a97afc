package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.Principal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.ToBeSigned;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.GrantRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More than a thousand generated bad records of every kind, on every input topic, interleaved with good requests:
 * every bad record lands in the rejected topic with a reason, no processor fails, and every good request is answered.
 */
class HostileInputTopologyTest extends RegisteredPartiesFixture {
    static final int ROUNDS = 120;

    Credentials.IssuedCredential aliceKyc;
    Credentials.IssuedCredential bobKyc;
    final Random random = new Random(20261123);

    /** Every round parks one of exchange-a's requests for bob: room for them all, so that none is refused for it. */
    @Override
    Map<String, Object> harnessSettings() {
        return Map.of(ProcessorsConfig.MAX_PENDING_PER_CONSUMER, ROUNDS);
    }

    @BeforeEach
    void issueCredentialsAndGrant() {
        aliceKyc = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        bobKyc = harness.issue(issuer, bob, "kyc", Map.of("country", "FR"));
        harness.grant(alice, exchange, aliceKyc, "", List.of("age_over_18", "country"), null, 0);
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void everyBadRecordIsRejectedAndEveryGoodOneAnswered() {
        List<Supplier<String>> attacks = attacks();
        Map<String, Integer> sent = new TreeMap<>();
        int good = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Supplier<String> attack : attacks) {
                sent.merge(attack.get(), 1, Integer::sum);
            }
            harness.request(exchange, alice, "kyc", List.of("country"));
            good++;
        }
        int badRecords = sent.values().stream().mapToInt(Integer::intValue).sum();

        Map<String, Integer> rejectedByReason = new TreeMap<>();
        harness.rejections().forEach(r -> rejectedByReason.merge(r.reason(), 1, Integer::sum));

        assertThat(badRecords).isGreaterThanOrEqualTo(1000);
        assertThat(rejectedByReason).as("rejected by reason, for %s bad records sent", badRecords)
                .isEqualTo(sent);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).hasSize(good)
                .allSatisfy(d -> assertThat(TopologyHarness.verifyAsConsumer(d, exchange, issuer, alice).verified())
                        .isTrue());
    }

    /** Each attack sends one bad record and returns the reason it must be rejected with. */
    private List<Supplier<String>> attacks() {
        List<Supplier<String>> attacks = new ArrayList<>();
        String[] topics = {harness.catalog.directory().name(), harness.catalog.credentialsIssued().name(),
                harness.catalog.accessRequests().name(), harness.catalog.accessDecisions().name()};
        attacks.add(() -> {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            noise[0] = (byte) (1 + random.nextInt(255));
            harness.pipeRaw(topics[random.nextInt(topics.length)], "alice", noise);
            return "not-avro";
        });
        attacks.add(() -> {
            byte[] good = harness.catalog.accessRequests().valueSerde().serializer().serialize(topics[2],
                    TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"), harness.now()));
            harness.pipeRaw(topics[2], "alice", java.util.Arrays.copyOf(good, 5 + random.nextInt(good.length - 6)));
            return "not-avro";
        });
        attacks.add(() -> {
            ByteBuffer unknown = ByteBuffer.allocate(20).put((byte) 0).putInt(100_000 + random.nextInt(1_000_000));
            harness.pipeRaw(topics[random.nextInt(topics.length)], "alice", unknown.array());
            return "unknown-schema";
        });
        attacks.add(() -> {
            AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                    harness.now());
            byte[] signature = request.getSignature().array().clone();
            signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            harness.requests.pipeInput("alice", AccessRequest.newBuilder(request)
                    .setSignature(ByteBuffer.wrap(signature)).build());
            return "bad-signature";
        });
        attacks.add(() -> {
            Party stranger = new Party("exchange-a", "consumer");
            harness.requests.pipeInput("alice", TopologyHarness.signedRequest(stranger, alice, "kyc", "",
                    List.of("country"), harness.now()));
            return "bad-signature";
        });
        attacks.add(() -> {
            AccessRequest request = TopologyHarness.signedRequest(exchange, bob, "kyc", "", List.of("country"),
                    harness.now());
            harness.requests.pipeInput("bob", request);
            harness.requests.pipeInput("bob", request);
            return "replay";
        });
        attacks.add(() -> {
            AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "kyc", "", List.of("country"),
                    harness.now());
            harness.requests.pipeInput("alice", AccessRequest.newBuilder(request).setRequestId("not-a-uuid-"
                    + random.nextInt(1000)).build());
            return "malformed";
        });
        attacks.add(() -> {
            Party ghost = new Party("ghost-" + random.nextInt(1_000_000), "holder");
            harness.requests.pipeInput(ghost.id, TopologyHarness.signedRequest(exchange, ghost, "kyc", "",
                    List.of("country"), harness.now()));
            return "unknown-holder";
        });
        attacks.add(() -> {
            Map<String, String> huge = new HashMap<>();
            huge.put("portrait", "x".repeat(64 * 1024 + 1 + random.nextInt(100)));
            Credentials.IssuedCredential oversize = Credentials.issue(issuer.signing,
                    new io.idstream.crypto.Statements.CredentialHeader(UUID.randomUUID().toString(), "alice",
                            "kyc-co", "kyc", harness.now(), 0L), alice.encryption.publicKey(), huge);
            harness.issued.pipeInput("alice", new IssuanceEvent(CredentialRecords.toAvro(oversize)));
            return "oversize";
        });
        attacks.add(() -> {
            CredentialIssued forged = CredentialIssued.newBuilder(CredentialRecords.toAvro(aliceKyc))
                    .setCredentialId(UUID.randomUUID().toString()).build();
            harness.issued.pipeInput("alice", new IssuanceEvent(forged));
            return "bad-signature";
        });
        attacks.add(() -> {
            // Bob, with his own valid signature, grants access to Alice's credential.
            Grant grant = TopologyHarness.signedGrant(alice, exchange, aliceKyc, "", List.of("country"),
                    harness.now(), 0L, 0);
            Grant asBob = Grant.newBuilder(grant).setHolderId("bob").build();
            harness.decisions.pipeInput("bob", new DecisionEvent(Grant.newBuilder(asBob).setSignature(ByteBuffer.wrap(
                    bob.signing.sign(ToBeSigned.grant(GrantRecords.statement(asBob))))).build()));
            return "not-owner";
        });
        attacks.add(() -> {
            // Bob denies a request he never received.
            String requestId = UUID.randomUUID().toString();
            harness.decisions.pipeInput("bob", new DecisionEvent(DecisionRecords.denial(bob.signing, requestId,
                    "bob", harness.now())));
            return "unknown-request";
        });
        attacks.add(() -> {
            Party impostor = new Party("alice", "holder");
            Principal claim = impostor.registration(harness.now() + 1 + random.nextInt(1000));
            harness.directory.pipeInput("alice", new DirectoryEvent(claim));
            return "id-taken";
        });
        return attacks;
    }
}
