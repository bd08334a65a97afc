package io.idstream.it.attacks;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The real topology under {@code TopologyTestDriver} with the parties of most attacks registered before each test:
 * kyc-co, an issuer the operator accredited ({@link #firstAccreditation}, kept so that an attack can send it
 * again), the holder alice and the consumer exchange-a. The harness is closed after each test. A test class that
 * needs more sets it up in a {@code @BeforeEach} of its own, which JUnit runs after this one.
 */
abstract class AttackedTopology {
    TopologyHarness harness;
    Party issuer;
    Party alice;
    Party exchange;
    Accreditation firstAccreditation;

    @BeforeEach
    void registerTheStorysParties() throws Exception {
        harness = new TopologyHarness();
        issuer = harness.register("kyc-co", "issuer");
        firstAccreditation = issuer.accreditationBy(harness.operator, harness.now());
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(firstAccreditation));
        alice = harness.register("alice", "holder");
        // The processors store a credential only under the holder's consent (docs/protocol.md section 6a).
        harness.allowIssuer(alice, issuer, List.of("kyc"), Duration.ofDays(30));
        exchange = harness.register("exchange-a", "consumer");
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /** exchange-a's request, sent now, for {@code fields} of alice's {@code credential}, named by its id. */
    AccessRequest requestNaming(Credentials.IssuedCredential credential, List<String> fields) {
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "",
                credential.header().credentialId(), fields, harness.now());
        harness.requests.pipeInput(alice.id, request);
        return request;
    }

    /** The last entry the processors published for kyc-co on the verified directory. */
    VerifiedPrincipal latestEntryOfTheIssuer() {
        List<VerifiedPrincipal> entries = harness.verified.readValuesToList().stream()
                .filter(entry -> entry.getPrincipal().getId().equals(issuer.id)).toList();
        return entries.get(entries.size() - 1);
    }

    /**
     * Asserts that {@code request} got no delivery of {@code credential}, but an {@code ISSUER_NOT_ACCREDITED}
     * notice, and that alice's audit says so.
     */
    void assertAnsweredIssuerNotAccredited(AccessRequest request, Credentials.IssuedCredential credential) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries to exchange-a")
                .filteredOn(d -> d.getRequestId().equals(request.getRequestId())).isEmpty();
        assertThat(notices(events)).as("what exchange-a hears about the request")
                .filteredOn(n -> n.getRequestId().equals(request.getRequestId()))
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getCredentialId)
                .containsExactly(tuple(NoticeKind.ISSUER_NOT_ACCREDITED, credential.header().credentialId()));
        assertThat(harness.audit.readValuesToList()).as("alice's audit of the request")
                .filteredOn(a -> a.getRequestId().equals(request.getRequestId()))
                .extracting(AccessAudit::getOutcome).containsExactly(AuditOutcome.ISSUER_NOT_ACCREDITED);
    }
}
