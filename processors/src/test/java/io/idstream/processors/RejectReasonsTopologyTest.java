package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refusals of docs/protocol.md section 11 that the other topology tests do not produce, each by its own record:
 * a principal acting outside its registered role ({@code wrong-role}), a revocation of a grant that is not active
 * ({@code unknown-grant}), a record naming a credential that is not stored or no longer usable
 * ({@code unknown-credential}), and a registration that would roll an id back to an older one ({@code replay}).
 * Each lands on the rejected topic with its reason, and changes nothing.
 */
class RejectReasonsTopologyTest extends RegisteredPartiesFixture {
    Credentials.IssuedCredential credential;

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        harness.verified.readValuesToList();
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    // wrong-role

    @Test
    void reRegistrationInAnotherRoleIsWrongRole() {
        Principal asConsumer = PrincipalRecords.registration(alice.signing, new PrincipalStatement(alice.id,
                "consumer", alice.signing.publicKey(), alice.encryption.publicKey(), "Display alice",
                harness.now() + 1));
        harness.directory.pipeInput(alice.id, new DirectoryEvent(asConsumer));

        assertRejected("the registration as consumer", "wrong-role", harness.catalog.directory().name());
        assertThat(harness.verified.readValuesToList()).as("verified directory").isEmpty();
        assertThat(harness.deliveryTopics).as("delivery topics").doesNotContain(alice.id);
    }

    @Test
    void accreditationForAnotherRoleIsWrongRole() {
        harness.directory.pipeInput(alice.id, new DirectoryEvent(PrincipalRecords.accreditation(harness.operator,
                new AccreditationStatement(alice.id, "issuer", alice.signing.publicKey(), harness.now()))));

        assertRejected("the accreditation as issuer", "wrong-role", harness.catalog.directory().name());
        assertThat(harness.verified.readValuesToList()).as("verified directory").isEmpty();
    }

    @Test
    void requestFromAHolderActingAsConsumerIsWrongRole() {
        harness.requests.pipeInput(alice.id, TopologyHarness.signedRequest(bob, alice, "kyc", "",
                List.of("country"), harness.now()));

        assertRejected("Bob's request", "wrong-role", harness.catalog.accessRequests().name());
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox").isEmpty();
    }

    @Test
    void credentialFromAConsumerActingAsIssuerIsWrongRole() {
        harness.issue(exchange, alice, "kyc", Map.of("country", "DE"));

        assertRejected("exchange-a's credential", "wrong-role", harness.catalog.credentialsIssued().name());
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void grantToAHolderActingAsConsumerIsWrongRole() {
        Grant toBob = TopologyHarness.signedGrant(alice, bob, credential, "", List.of("country"), harness.now(), 0L,
                0);
        harness.decisions.pipeInput(alice.id, new DecisionEvent(toBob));

        assertRejected("the grant to Bob", "wrong-role", harness.catalog.accessDecisions().name());
        assertThat(harness.audit.readValuesToList()).as("audit: no GRANTED").isEmpty();
    }

    // unknown-grant

    @Test
    void revocationOfAGrantNeverMadeIsUnknownGrant() {
        harness.revokeGrant(alice, UUID.randomUUID().toString());

        assertRejected("the revocation", "unknown-grant", harness.catalog.accessDecisions().name());
        assertThat(harness.audit.readValuesToList()).as("audit: no REVOKED").isEmpty();
    }

    @Test
    void secondRevocationOfTheSameGrantIsUnknownGrant() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);
        harness.revokeGrant(alice, grant.getGrantId());
        harness.revokeGrant(alice, grant.getGrantId());

        assertRejected("the second revocation", "unknown-grant", harness.catalog.accessDecisions().name());
        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.REVOKED);
    }

    // unknown-credential

    @Test
    void requestNamingACredentialNotStoredIsUnknownCredential() {
        harness.requests.pipeInput(alice.id, TopologyHarness.signedRequest(exchange, alice, "kyc",
                UUID.randomUUID().toString(), List.of("country"), harness.now()));

        assertRejected("the request", "unknown-credential", harness.catalog.accessRequests().name());
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's delivery topic").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox").isEmpty();
    }

    @Test
    void erasureOfACredentialAlreadyErasedIsUnknownCredential() {
        harness.erase(alice, credential.header().credentialId());
        assertThat(harness.stored.readRecordsToList()).as("the vault's tombstone").hasSize(1);
        harness.inbox.readValuesToList();

        harness.erase(alice, credential.header().credentialId());

        assertRejected("the second erasure", "unknown-credential", harness.catalog.accessDecisions().name());
        assertThat(harness.stored.readRecordsToList()).as("the vault after the second erasure").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("Alice's inbox").isEmpty();
    }

    @Test
    void issuerRevocationOfACredentialNotStoredIsUnknownCredential() {
        harness.issued.pipeInput(alice.id, new IssuanceEvent(DecisionRecords.credentialRevocation(issuer.signing,
                UUID.randomUUID().toString(), alice.id, issuer.id, "never issued", harness.now())));

        assertRejected("the revocation", "unknown-credential", harness.catalog.credentialsIssued().name());
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void grantOnARevokedCredentialIsUnknownCredential() {
        harness.revokeCredential(issuer, alice, credential, "document reported stolen");
        harness.inbox.readValuesToList();

        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), null, 0);

        assertRejected("the grant", "unknown-credential", harness.catalog.accessDecisions().name());
        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(TopologyHarness.credentialDeliveries(harness.deliveriesOf(exchange)))
                .as("deliveries from grant %s", grant.getGrantId()).isEmpty();
    }

    // replay: a rollback to an older registration

    @Test
    void reRegistrationOlderThanTheOneInForceIsAReplay() {
        long registeredAt = harness.now();
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(exchange.registration(registeredAt - 1)));
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(exchange.registration(registeredAt)));

        assertThat(harness.rejections()).as("rejections of the older and the same-age registration")
                .extracting(RejectedRecord::reason).containsExactly("replay", "replay");
        assertThat(harness.verified.readValuesToList()).as("verified directory").isEmpty();
    }

    @Test
    void rollbackToTheKeysBeforeARotationIsAReplayAndTheNewKeysStayInForce() {
        // exchange-a rotates its keys, signing the new registration with its old key
        Party rotated = new Party(exchange.id, "consumer");
        long rotatedAt = harness.now() + 1000;
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(PrincipalRecords.registration(exchange.signing,
                statement(rotated, exchange, rotatedAt))));
        assertThat(harness.verified.readValuesToList()).extracting(VerifiedPrincipal::getPrincipal)
                .extracting(Principal::getSigningKey).containsExactly(ByteBuffer.wrap(rotated.signing.publicKey()));

        // then a registration signed with the new key that binds the old keys again, dated before the rotation
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(PrincipalRecords.registration(rotated.signing,
                statement(exchange, exchange, rotatedAt - 500))));

        assertRejected("the rollback", "replay", harness.catalog.directory().name());
        assertThat(harness.verified.readValuesToList()).as("verified directory").isEmpty();
        // the new key still speaks for exchange-a, the old one no longer does
        AccessRequest withNewKey = TopologyHarness.signedRequest(rotated, alice, "kyc", "", List.of("country"),
                harness.now());
        harness.requests.pipeInput(alice.id, withNewKey);
        harness.requests.pipeInput(alice.id, TopologyHarness.signedRequest(exchange, alice, "kyc", "",
                List.of("country"), harness.now()));
        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("bad-signature");
        assertThat(notices(harness.deliveriesOf(exchange))).singleElement().satisfies(n -> {
            assertThat(n.getKind()).isEqualTo(NoticeKind.PENDING);
            assertThat(n.getRequestId()).isEqualTo(withNewKey.getRequestId());
        });
    }

    /** A registration statement for {@code id}'s id carrying {@code keys}' public keys. */
    private static PrincipalStatement statement(Party keys, Party id, long registeredAt) {
        return new PrincipalStatement(id.id, id.role, keys.signing.publicKey(), keys.encryption.publicKey(),
                "Display " + id.id, registeredAt);
    }
}
