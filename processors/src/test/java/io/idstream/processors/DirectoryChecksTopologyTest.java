package io.idstream.processors;

import io.idstream.avro.Accreditation;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the directory processor checks before a registration or an accreditation counts (docs/protocol.md section 7):
 * an id of the protocol's shape, one of the three roles, 32-byte keys; an accreditation filed under its principal,
 * signed by a trusted operator over exactly what it says, for a registered principal in its role and with its current
 * signing key, and newer than the one in force. A new signing key needs a new accreditation. Each refusal lands on
 * the rejected topic with its reason and publishes nothing.
 */
class DirectoryChecksTopologyTest extends RegisteredPartiesFixture {
    @BeforeEach
    void forgetTheSetUp() {
        harness.verified.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    // registrations

    @Test
    void registrationWithAnIdOutsideTheProtocolsShapeIsMalformed() {
        Party mallory = new Party("Mallory", "holder");
        // Signed directly: the protocol's own signer refuses to sign an id of this shape.
        register(mallory, selfSigned(mallory, statement(mallory, mallory.role, harness.now())));

        assertRefused("the registration of 'Mallory'", "malformed", "principal id");
    }

    @Test
    void registrationInARoleOutsideTheProtocolIsMalformed() {
        Party operator = new Party("root-op", "operator");
        register(operator, PrincipalRecords.registration(operator.signing, statement(operator, "operator",
                harness.now())));

        assertRefused("the registration as operator", "malformed", "role 'operator'");
        assertThat(harness.deliveryTopics).doesNotContain(operator.id);
    }

    @Test
    void registrationWithAnEncryptionKeyOfAnotherLengthIsMalformed() {
        Party carol = new Party("carol", "holder");
        PrincipalStatement shortKey = new PrincipalStatement(carol.id, carol.role, carol.signing.publicKey(),
                Arrays.copyOf(carol.encryption.publicKey(), 31), "Display carol", harness.now());
        register(carol, PrincipalRecords.registration(carol.signing, shortKey));

        assertRefused("the registration with a 31-byte encryption key", "malformed", "32 bytes");
    }

    @Test
    void registrationWithASigningKeyOfAnotherLengthIsMalformedNotJustUnverifiable() {
        Party carol = new Party("carol", "holder");
        PrincipalStatement longKey = new PrincipalStatement(carol.id, carol.role,
                Arrays.copyOf(carol.signing.publicKey(), 33), carol.encryption.publicKey(), "Display carol",
                harness.now());
        register(carol, selfSigned(carol, longKey));

        assertRefused("the registration with a 33-byte signing key", "malformed", "32 bytes");
    }

    @Test
    void newSigningKeyDropsTheAccreditationUntilTheOperatorAccreditsTheNewKey() {
        // kyc-co rotates its keys, signing the new registration with its old key
        Party rotated = new Party(issuer.id, issuer.role);
        register(issuer, PrincipalRecords.registration(issuer.signing, statement(rotated, issuer.role,
                harness.now() + 1)));

        assertThat(harness.verified.readValuesToList()).as("the verified entry after the rotation").singleElement()
                .satisfies(entry -> {
                    assertThat(entry.getPrincipal().getSigningKey())
                            .isEqualTo(ByteBuffer.wrap(rotated.signing.publicKey()));
                    assertThat(entry.getAccreditation()).as("the accreditation of the old key").isNull();
                });
        harness.issue(rotated, alice, "kyc", Map.of("country", "DE"));
        assertThat(harness.rejections()).as("rejections of a credential signed with the new, unaccredited key")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("not-accredited", harness.catalog.credentialsIssued().name()));

        // Later than the first key's accreditation, which the new one must be newer than (docs/protocol.md section 7).
        harness.advance(Duration.ofSeconds(1));
        harness.accredit(rotated);
        harness.issue(rotated, alice, "kyc", Map.of("country", "DE"));
        assertThat(harness.rejections()).as("rejections once the new key is accredited").isEmpty();
        assertThat(harness.stored.readValuesToList()).extracting(s -> s.getCredential().getIssuerId())
                .containsExactly(issuer.id);
    }

    @Test
    void reRegistrationUnderTheSameKeyKeepsTheAccreditation() {
        register(issuer, PrincipalRecords.registration(issuer.signing, new PrincipalStatement(issuer.id,
                issuer.role, issuer.signing.publicKey(), issuer.encryption.publicKey(), "KYC Co, renamed",
                harness.now() + 1)));

        assertThat(harness.verified.readValuesToList()).singleElement().satisfies(entry -> {
            assertThat(entry.getPrincipal().getDisplayName()).isEqualTo("KYC Co, renamed");
            assertThat(entry.getAccreditation()).as("the accreditation of the same key").isNotNull()
                    .satisfies(a -> assertThat(a.getSigningKey())
                            .isEqualTo(ByteBuffer.wrap(issuer.signing.publicKey())));
        });
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        assertThat(harness.rejections()).as("rejections of kyc-co's next credential").isEmpty();
        assertThat(harness.stored.readValuesToList()).as("kyc-co's credential in the vault")
                .extracting(s -> s.getCredential().getIssuerId()).containsExactly(issuer.id);
    }

    // accreditations

    @Test
    void accreditationFiledUnderAnotherIdIsAKeyMismatch() {
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(app.accreditationBy(harness.operator,
                harness.now())));

        assertRefused("app-b's accreditation filed as exchange-a", "key-mismatch", "app-b");
    }

    @Test
    void accreditationWhoseSignatureDoesNotCoverItsContentIsABadSignature() {
        Accreditation genuine = exchange.accreditationBy(harness.operator, harness.now());
        Accreditation backdated = Accreditation.newBuilder(genuine).setAccreditedAt(genuine.getAccreditedAt() - 1)
                .build();
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(backdated));

        assertRefused("the altered accreditation", "bad-signature", "does not verify");
    }

    @Test
    void accreditationOfAnIdNeverRegisteredIsUnknownPrincipal() {
        Party ghost = new Party("ghost-kyc", "issuer");
        harness.directory.pipeInput(ghost.id, new DirectoryEvent(ghost.accreditationBy(harness.operator,
                harness.now())));

        assertRefused("the accreditation of ghost-kyc", "unknown-principal", "ghost-kyc");
    }

    @Test
    void accreditationOfAnotherSigningKeyThanTheRegisteredOneIsMalformed() {
        Party otherKeys = new Party(exchange.id, exchange.role);
        harness.directory.pipeInput(exchange.id, new DirectoryEvent(otherKeys.accreditationBy(harness.operator,
                harness.now())));

        assertRefused("the accreditation of a key exchange-a never registered", "malformed",
                "another signing key");
    }

    @Test
    void accreditationNoNewerThanTheOneInForceIsAReplayAndANewerOneCounts() {
        long inForce = harness.now();
        accredit(issuer, inForce - 1);
        accredit(issuer, inForce);

        assertThat(harness.rejections()).as("the older and the same-age accreditation")
                .extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("replay", harness.catalog.directory().name()),
                        tuple("replay", harness.catalog.directory().name()));
        assertThat(harness.verified.readValuesToList()).as("verified directory after the replays").isEmpty();

        accredit(issuer, inForce + 1);
        assertThat(harness.rejections()).as("rejections of the newer accreditation").isEmpty();
        assertThat(harness.verified.readValuesToList()).extracting(VerifiedPrincipal::getAccreditation)
                .extracting(Accreditation::getAccreditedAt).containsExactly(inForce + 1);
    }

    private void accredit(Party party, long accreditedAt) {
        harness.directory.pipeInput(party.id, new DirectoryEvent(party.accreditationBy(harness.operator,
                accreditedAt)));
    }

    private void register(Party party, Principal registration) {
        harness.directory.pipeInput(party.id, new DirectoryEvent(registration));
    }

    private static PrincipalStatement statement(Party keys, String role, long registeredAt) {
        return new PrincipalStatement(keys.id, role, keys.signing.publicKey(), keys.encryption.publicKey(),
                "Display " + keys.id, registeredAt);
    }

    /** A registration signed with the party's key over the statement's bytes, whatever the statement says. */
    private static Principal selfSigned(Party party, PrincipalStatement statement) {
        return new Principal(statement.id(), statement.role(), ByteBuffer.wrap(statement.signingKey()),
                ByteBuffer.wrap(statement.encryptionKey()), statement.displayName(), statement.registeredAt(),
                ByteBuffer.wrap(party.signing.sign(statement.toBeSigned())));
    }

    /** The one record rejected is the directory record {@code what}, for {@code reason}, and nothing was published. */
    private void assertRefused(String what, String reason, String detailMentions) {
        assertThat(harness.rejections()).as("rejections of %s", what).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.sourceTopic()).isEqualTo(harness.catalog.directory().name());
            assertThat(r.detail()).contains(detailMentions);
        });
        assertThat(harness.verified.readValuesToList()).as("verified directory after %s", what).isEmpty();
    }
}
