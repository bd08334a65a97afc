package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The set-up the access topology tests share: before each test a fresh {@link TopologyHarness} in which the issuer
 * kyc-co (accredited by the operator), the holders alice and bob and the consumers exchange-a and app-b are
 * registered, and alice and bob allow kyc-co to write credentials of the types the tests issue; after it, the harness is
 * closed. A class that needs other processor settings overrides
 * {@link #harnessSettings()}. A test class extends it and issues the credentials it needs in a
 * {@code @BeforeEach} of its own, which JUnit runs after this one.
 */
abstract class RegisteredPartiesFixture {
    /** The credential types the holders allow kyc-co to write. */
    static final List<String> ISSUED_TYPES = List.of("address", "kyc");

    TopologyHarness harness;
    Party issuer;
    Party alice;
    Party bob;
    Party exchange;
    Party app;

    @BeforeEach
    void registerParties() throws Exception {
        harness = new TopologyHarness(harnessSettings());
        issuer = harness.register("kyc-co", "issuer");
        harness.accredit(issuer);
        alice = harness.register("alice", "holder");
        bob = harness.register("bob", "holder");
        exchange = harness.register("exchange-a", "consumer");
        app = harness.register("app-b", "consumer");
        // The holders let kyc-co write what the tests issue; write grants are tested on their own.
        harness.allowIssuer(alice, issuer, ISSUED_TYPES, Duration.ofDays(365));
        harness.allowIssuer(bob, issuer, ISSUED_TYPES, Duration.ofDays(365));
    }

    /** Settings of the processors under test over the harness's own; a test class overrides it to change one. */
    Map<String, Object> harnessSettings() {
        return Map.of();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /**
     * Asserts that exchange-a got exactly one delivery, for {@code request}, from {@code grant}, which it verifies
     * and opens to country=DE, with no notice and nothing rejected.
     */
    void assertServedFromGrant(AccessRequest request, Grant grant) {
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(notices(events)).as("notices to exchange-a").isEmpty();
        List<CredentialDelivery> delivered = credentialDeliveries(events);
        assertThat(delivered).as("deliveries to exchange-a").singleElement().satisfies(d -> {
            assertThat(d.getRequestId()).isEqualTo(request.getRequestId());
            assertThat(d.getGrant().getGrantId()).isEqualTo(grant.getGrantId());
            DeliveryVerification result = verifyAsConsumer(d, exchange, issuer, alice);
            assertThat(result).isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                    v -> assertThat(v.values()).containsExactlyEntriesOf(Map.of("country", "DE")));
        });
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }

    /** Asserts that the one record rejected so far is {@code what}, for {@code reason}, read from the source topic. */
    void assertRejected(String what, String reason, String sourceTopic) {
        assertThat(harness.rejections()).as("rejections of %s", what)
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple(reason, sourceTopic));
    }
}
