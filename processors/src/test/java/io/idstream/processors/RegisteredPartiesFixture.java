package io.idstream.processors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the access topology tests share: before each test a fresh {@link TopologyHarness} in which the issuer
 * kyc-co (accredited by the operator), the holders alice and bob and the consumers exchange-a and app-b are
 * registered; after it, the harness is closed. A test class extends it and issues the credentials it needs in a
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
        harness = new TopologyHarness();
        issuer = harness.register("kyc-co", "issuer");
        harness.accredit(issuer);
        alice = harness.register("alice", "holder");
        bob = harness.register("bob", "holder");
        exchange = harness.register("exchange-a", "consumer");
        app = harness.register("app-b", "consumer");
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }
}
