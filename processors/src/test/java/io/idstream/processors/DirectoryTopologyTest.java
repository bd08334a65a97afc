package io.idstream.processors;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.SigningKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Registrations and accreditations count only once verified; forgeries land in the rejected topic. */
class DirectoryTopologyTest {
    final TopologyHarness harness = new TopologyHarness();

    DirectoryTopologyTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void registrationIsVerifiedAndPublished() {
        Party alice = harness.register("alice", "holder");
        List<VerifiedPrincipal> published = harness.verified.readValuesToList();
        assertThat(published).singleElement().satisfies(entry -> {
            assertThat(entry.getPrincipal().getId()).isEqualTo("alice");
            assertThat(entry.getPrincipal().getSigningKey()).isEqualTo(ByteBuffer.wrap(alice.signing.publicKey()));
            assertThat(entry.getAccreditation()).isNull();
        });
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void consumerRegistrationCreatesItsDeliveryTopic() {
        harness.register("exchange-a", "consumer");
        assertThat(harness.deliveryTopics).containsExactly("exchange-a");
    }

    @Test
    void takenIdCannotBeRegisteredWithAnotherKey() {
        harness.register("alice", "holder");
        harness.verified.readValuesToList();
        Party impostor = new Party("alice", "holder");
        harness.directory.pipeInput("alice", new DirectoryEvent(impostor.registration(harness.now() + 1)));

        assertThat(harness.verified.readValuesToList()).isEmpty();
        assertThat(harness.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("id-taken");
            assertThat(r.sourceTopic()).isEqualTo("idstream.directory");
        });
    }

    @Test
    void forgedSelfSignatureIsRejected() {
        Party alice = new Party("alice", "holder");
        Principal forged = Principal.newBuilder(alice.registration(harness.now()))
                .setDisplayName("Someone Else").build();
        harness.directory.pipeInput("alice", new DirectoryEvent(forged));
        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("bad-signature");
    }

    @Test
    void accreditationByATrustedOperatorCounts() {
        Party issuer = harness.register("kyc-co", "issuer");
        harness.accredit(issuer);
        List<VerifiedPrincipal> published = harness.verified.readValuesToList();
        assertThat(published).hasSize(2);
        assertThat(published.get(0).getAccreditation()).isNull();
        assertThat(published.get(1).getAccreditation()).isNotNull().satisfies(a -> {
            assertThat(a.getOperatorKey()).isEqualTo(ByteBuffer.wrap(harness.operator.publicKey()));
            assertThat(a.getSigningKey()).isEqualTo(ByteBuffer.wrap(issuer.signing.publicKey()));
            assertThat(a.getRole()).isEqualTo("issuer");
        });
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void accreditationByAnUntrustedKeyIsRejected() {
        Party issuer = harness.register("kyc-co", "issuer");
        harness.directory.pipeInput("kyc-co", new DirectoryEvent(issuer.accreditationBy(SigningKeyPair.generate(),
                harness.now())));
        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("not-accredited");
    }

    @Test
    void registrationUnderAnotherKeyIsAKeyMismatch() {
        Party alice = new Party("alice", "holder");
        harness.directory.pipeInput("bob", new DirectoryEvent(alice.registration(harness.now())));
        assertThat(harness.rejections()).extracting(TopologyHarness.RejectedRecord::reason)
                .containsExactly("key-mismatch");
    }
}
