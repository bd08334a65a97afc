package io.idstream.processors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/**
 * The set-up the access topology tests share: before each test a fresh {@link TopologyHarness} in which the issuer
 * kyc-co (accredited by the operator), the holders alice and bob and the consumers exchange-a and app-b are
 * registered; after it, the harness is closed. A class that needs other processor settings overrides
 * {@link #harnessSettings()}. A test class extends it and issues the credentials it needs in a
 * {@code @BeforeEach} of its own, which JUnit runs after this one.
 */
abstract class RegisteredPartiesFixture {
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
    }

    /** Settings of the processors under test over the harness's own; a test class overrides it to change one. */
    Map<String, Object> harnessSettings() {
        return Map.of();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }
}
