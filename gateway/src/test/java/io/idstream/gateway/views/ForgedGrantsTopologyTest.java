package io.idstream.gateway.views;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Grants;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.mapping.GrantRecords;
import io.idstream.processors.Party;
import io.idstream.topics.HolderKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Anyone allowed to write the decisions topic may write any partition of it, under any key. The terms the gateway
 * shows for a grant the processors accepted are the holder's own, whatever else is written first with its grant id.
 */
@Timeout(120)
class ForgedGrantsTopologyTest {
    private GatewayHarness gateway;

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void termsThatDoNotVerifyWithTheHoldersKeyNeverShow() throws Exception {
        // Given alice's genuine grant to exchange-a, accepted by the processors
        gateway = new GatewayHarness();
        Party issuer = gateway.accreditedIssuer();
        Party alice = gateway.register("alice", "holder");
        Party bob = gateway.register("bob", "holder");
        Party exchange = gateway.register("exchange-a", "consumer");
        Party app = gateway.register("app-b", "consumer");
        Credentials.IssuedCredential credential = gateway.issue(issuer, alice);
        AccessRequest request = gateway.request(exchange, alice);
        Grant genuine = gateway.processors.grant(alice, exchange, credential, request.getRequestId(),
                List.of("country"), Duration.ofDays(30), 5);

        // When, before it, the gateway reads under its grant id terms for app-b: altered after alice signed, and
        // signed afresh by bob
        Grant altered = Grant.newBuilder(genuine).setConsumerId("app-b").build();
        Grant signedByBob = GrantRecords.toAvro(Grants.grant(bob.signing, alice.encryption, credential.header(),
                credential.holderKey(), new Grants.Terms(genuine.getGrantId(), app.id, "", "onboarding",
                        gateway.now(), gateway.now(), 0L, 0, List.of("country", "age_over_18")),
                app.encryption.publicKey()));
        assertThat(signedByBob.getHolderId()).as("the forged grant names alice").isEqualTo("alice");
        gateway.writeDecision("alice", new DecisionEvent(altered));
        gateway.writeDecision("alice", new DecisionEvent(signedByBob));
        gateway.writeDecision("alice", new DecisionEvent(genuine));
        gateway.passAll();

        // Then alice's grant shows with her own terms only, and both forgeries are counted
        assertThat(gateway.views.grants("alice")).extracting(g -> g.grant().getConsumerId(),
                g -> g.grant().getFields(), ActiveGrant::uses)
                .containsExactly(tuple("exchange-a", List.of("country"), 1));
        assertThat(gateway.ignored("bad-signature")).isEqualTo(2.0);
    }

    @Test
    void aGrantReadBeforeItsHoldersRegistrationShowsOnceTheKeyIsKnown() throws Exception {
        // Given carol, registered with the processors, whose registration the gateway has not read yet
        gateway = new GatewayHarness();
        Party issuer = gateway.accreditedIssuer();
        Party exchange = gateway.register("exchange-a", "consumer");
        Party carol = gateway.processors.register("carol", "holder");
        Credentials.IssuedCredential credential = gateway.issue(issuer, carol);
        AccessRequest request = gateway.request(exchange, carol);

        // When the gateway reads her grant's terms first, then her registration and the processors' acceptance
        Grant grant = gateway.grant(carol, exchange, credential, request.getRequestId(), 5);
        gateway.passAll();

        // Then her grant shows with her terms and its use, and the gateway told of it
        assertThat(gateway.views.grants("carol")).extracting(g -> g.grant().getGrantId(), ActiveGrant::uses)
                .containsExactly(tuple(grant.getGrantId(), 1));
        assertThat(gateway.changes.drain()).contains("grant carol " + grant.getGrantId() + " uses=1");
        assertThat(gateway.ignored("unknown-holder")).isZero();
    }

    @Test
    void forgedTermsReadBeforeTheHoldersRegistrationNeverShow() throws Exception {
        // Given carol, whose registration the gateway has not read yet, and her grant accepted by the processors
        gateway = new GatewayHarness();
        Party issuer = gateway.accreditedIssuer();
        Party bob = gateway.register("bob", "holder");
        Party exchange = gateway.register("exchange-a", "consumer");
        Party app = gateway.register("app-b", "consumer");
        Party carol = gateway.processors.register("carol", "holder");
        Credentials.IssuedCredential credential = gateway.issue(issuer, carol);
        AccessRequest request = gateway.request(exchange, carol);
        Grant genuine = gateway.processors.grant(carol, exchange, credential, request.getRequestId(),
                List.of("country"), Duration.ofDays(30), 5);

        // When the gateway first reads, under her grant id, terms for app-b signed by bob, then learns her key
        Grant signedByBob = GrantRecords.toAvro(Grants.grant(bob.signing, carol.encryption, credential.header(),
                credential.holderKey(), new Grants.Terms(genuine.getGrantId(), app.id, "", "onboarding",
                        gateway.now(), gateway.now(), 0L, 0, List.of("country", "age_over_18")),
                app.encryption.publicKey()));
        gateway.writeDecision("carol", new DecisionEvent(signedByBob));
        gateway.passAll();

        // Then the forged terms never show, and are counted
        assertThat(gateway.views.grants("carol")).isEmpty();
        assertThat(gateway.changes.drain()).noneMatch(change -> change.startsWith("grant carol"));
        assertThat(gateway.ignored("bad-signature")).isEqualTo(1.0);
    }

    @Test
    void recordsInAPartitionTheirHolderDoesNotHashToNeverShow() throws Exception {
        // Given a gateway hashing holders over two partitions, reading every record from partition 0, and two
        // holders: one whose id hashes to partition 0, one whose id hashes to partition 1
        gateway = new GatewayHarness(2);
        String inPlace = holderHashingTo(0);
        String misplaced = holderHashingTo(1);
        Party issuer = gateway.accreditedIssuer();
        Party exchange = gateway.register("exchange-a", "consumer");
        for (String holderId : List.of(inPlace, misplaced)) {
            Party holder = gateway.register(holderId, "holder");
            Credentials.IssuedCredential credential = gateway.issue(issuer, holder);
            AccessRequest request = gateway.request(exchange, holder);
            gateway.grant(holder, exchange, credential, request.getRequestId(), 5);
            gateway.processors.request(exchange, holder, "other", List.of("country"));
        }

        // When everything the processors wrote for both is read
        gateway.passAll();

        // Then the holder in place sees all of it, the misplaced one none, and each record of theirs is counted
        assertThat(gateway.views.grants(inPlace)).extracting(ActiveGrant::uses).containsExactly(1);
        assertThat(gateway.views.credentials(inPlace)).hasSize(1);
        assertThat(gateway.views.inbox(inPlace, gateway.now())).hasSize(1);
        assertThat(gateway.views.audit(inPlace, -1, 50).entries()).isNotEmpty();
        assertThat(gateway.views.grants(misplaced)).isEmpty();
        assertThat(gateway.views.credentials(misplaced)).isEmpty();
        assertThat(gateway.views.inbox(misplaced, gateway.now())).isEmpty();
        assertThat(gateway.views.audit(misplaced, -1, 50).entries()).isEmpty();
        assertThat(gateway.ignored("wrong-partition")).isGreaterThanOrEqualTo(5.0);
    }

    private static String holderHashingTo(int partition) {
        return Stream.iterate(1, i -> i + 1).map(i -> "holder-" + i)
                .filter(id -> HolderKeys.partitionOf(id, 2) == partition).findFirst().orElseThrow();
    }
}
