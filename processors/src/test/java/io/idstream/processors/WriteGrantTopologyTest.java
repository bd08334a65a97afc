package io.idstream.processors;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A holder's consent to be written to (docs/protocol.md sections 6a and 11): with
 * {@code idstream.issuance.write.grant.required} on, as by default, an issuer's credential is stored only under a
 * write grant of its holder in force that names the issuer and the credential's type; otherwise it is refused as
 * no-write-grant and the issuer hears CREDENTIAL_REFUSED on its notice topic. Carol, a holder who has allowed no
 * issuer, is the subject; alice and bob allowed kyc-co in the set-up.
 */
class WriteGrantTopologyTest extends RegisteredPartiesFixture {
    private Party carol;

    @BeforeEach
    void registerCarolWhoAllowsNobody() {
        carol = harness.register("carol", "holder");
        harness.issuerNoticesOf(issuer);
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void aCredentialWithoutAWriteGrantIsRefusedAndItsIssuerAndHolderAreTold() {
        Credentials.IssuedCredential unasked = harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("no-write-grant", harness.catalog.credentialsIssued().name()));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
        assertThat(harness.issuerNoticesOf(issuer)).singleElement().satisfies(notice -> {
            assertThat(notice.getKind()).isEqualTo(IssuerNoticeKind.CREDENTIAL_REFUSED);
            assertThat(notice.getReason()).isEqualTo("no-write-grant");
            assertThat(notice.getCredentialId()).isEqualTo(unasked.header().credentialId());
            assertThat(notice.getHolderId()).isEqualTo(carol.id);
        });
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).singleElement()
                .isInstanceOfSatisfying(HolderNotice.class, notice -> {
                    assertThat(notice.getKind()).isEqualTo(HolderNoticeKind.CREDENTIAL_REFUSED);
                    assertThat(notice.getCredentialId()).isEqualTo(unasked.header().credentialId());
                });
    }

    @Test
    void aCredentialUnderAWriteGrantIsStoredAndTheIssuerHearsOfBoth() {
        WriteGrant allowed = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(30));
        Credentials.IssuedCredential credential = harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).isEmpty();
        assertThat(harness.stored.readValuesToList()).extracting(s -> s.getCredential().getCredentialId())
                .containsExactly(credential.header().credentialId());
        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind, IssuerNotice::getWriteGrantId,
                IssuerNotice::getCredentialId, IssuerNotice::getCredentialTypes, IssuerNotice::getExpiresAt)
                .containsExactly(
                        tuple(IssuerNoticeKind.WRITE_GRANTED, allowed.getWriteGrantId(), "", List.of("kyc"),
                                allowed.getExpiresAt()),
                        tuple(IssuerNoticeKind.CREDENTIAL_STORED, "", credential.header().credentialId(), List.of(),
                                0L));
    }

    @Test
    void aWriteGrantForAnotherTypeOrAnotherIssuerOrExpiredOrRevokedDoesNotCount() {
        Party otherIssuer = harness.register("other-kyc", "issuer");
        harness.accredit(otherIssuer);
        harness.allowIssuer(carol, issuer, List.of("address"), Duration.ofDays(30));
        harness.allowIssuer(carol, otherIssuer, List.of("kyc"), Duration.ofDays(30));
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));
        harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofHours(1));
        harness.advance(Duration.ofHours(1));
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));
        WriteGrant revoked = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(30));
        harness.decisions.pipeInput(carol.id, new DecisionEvent(WriteGrantRecords.revocation(carol.signing,
                revoked.getWriteGrantId(), carol.id, harness.now())));
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason)
                .as("kyc-co's credentials under a write grant for address or for other-kyc, then expired, then revoked")
                .containsExactly("no-write-grant", "no-write-grant", "no-write-grant");
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind).containsExactly(
                IssuerNoticeKind.WRITE_GRANTED, IssuerNoticeKind.CREDENTIAL_REFUSED,
                IssuerNoticeKind.WRITE_GRANTED, IssuerNoticeKind.WRITE_GRANT_ENDED, IssuerNoticeKind.CREDENTIAL_REFUSED,
                IssuerNoticeKind.WRITE_GRANTED, IssuerNoticeKind.WRITE_GRANT_ENDED, IssuerNoticeKind.CREDENTIAL_REFUSED);
    }

    @Test
    void aWriteGrantCountsOnlyFromWhenItIsIssuedUntilItExpiresWhetherOrNotTheExpiryRanYet() throws Exception {
        Duration neverDue = Duration.ofDays(3);
        try (TopologyHarness late = new TopologyHarness(Map.of(ProcessorsConfig.PUNCTUATE_INTERVAL_MS,
                neverDue.toMillis()))) {
            Party kyc = late.register("kyc-co", "issuer");
            late.accredit(kyc);
            Party dave = late.register("dave", "holder");
            late.decisions.pipeInput(dave.id, new DecisionEvent(WriteGrantRecords.writeGrant(dave.signing,
                    UUID.randomUUID().toString(), dave.id, kyc.id, "", List.of("kyc"), late.now() + 60_000,
                    late.now() + Duration.ofHours(1).toMillis())));
            late.issue(kyc, dave, "kyc", Map.of("country", "DE"));
            late.advance(Duration.ofMinutes(1));
            late.issue(kyc, dave, "kyc", Map.of("country", "DE"));
            late.advance(Duration.ofMinutes(59));
            late.issue(kyc, dave, "kyc", Map.of("country", "DE"));

            assertThat(late.rejections()).extracting(RejectedRecord::reason)
                    .as("a credential a minute before the write grant begins, one as it begins, one as it ends")
                    .containsExactly("no-write-grant", "no-write-grant");
            assertThat(late.stored.readValuesToList()).hasSize(1);
            assertThat(late.issuerNoticesOf(kyc)).extracting(IssuerNotice::getKind)
                    .as("no expiry has run yet").doesNotContain(IssuerNoticeKind.WRITE_GRANT_ENDED);
        }
    }

    @Test
    void anExpiredWriteGrantIsRemovedAndItsIssuerToldOnce() {
        WriteGrant expiring = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofHours(1));
        harness.advance(Duration.ofHours(1));
        harness.advance(Duration.ofHours(1));

        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind, IssuerNotice::getWriteGrantId)
                .containsExactly(tuple(IssuerNoticeKind.WRITE_GRANTED, expiring.getWriteGrantId()),
                        tuple(IssuerNoticeKind.WRITE_GRANT_ENDED, expiring.getWriteGrantId()));
        KeyValueStore<String, WriteGrant> writeGrants = harness.driver.getKeyValueStore(StoreNames.WRITE_GRANTS);
        assertThat(writeGrants.get(carol.id + "/" + expiring.getWriteGrantId())).as("the expired write grant")
                .isNull();
    }

    @Test
    void anIssuersFirstRegistrationCreatesItsNoticeTopicAndNoOtherRoleGetsOne() {
        assertThat(harness.issuerNoticeTopics).as("notice topics after the set-up").containsExactly(issuer.id);

        harness.register("bank-co", "issuer");

        assertThat(harness.issuerNoticeTopics).containsExactlyInAnyOrder(issuer.id, "bank-co");
    }

    @Test
    void withTheSettingOffAnAccreditedIssuerWritesWithoutAWriteGrant() throws Exception {
        try (TopologyHarness open = new TopologyHarness(Map.of(ProcessorsConfig.WRITE_GRANT_REQUIRED, false))) {
            Party kyc = open.register("kyc-co", "issuer");
            open.accredit(kyc);
            Party dave = open.register("dave", "holder");

            Credentials.IssuedCredential credential = open.issue(kyc, dave, "kyc", Map.of("country", "DE"));

            assertThat(open.rejections()).isEmpty();
            assertThat(open.stored.readValuesToList()).extracting(s -> s.getCredential().getCredentialId())
                    .containsExactly(credential.header().credentialId());
        }
    }

    @Test
    void anIssuerWithoutANoticeTopicIsNotToldAndItsTopicIsCreatedAgain() {
        harness.issuerNoticeTopics.remove(issuer.id);

        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("no-write-grant");
        assertThat(harness.issuerNoticesOf(issuer)).as("notices written to a topic that does not exist").isEmpty();
        assertThat(harness.issuerNoticeTopics).as("issuers with a notice topic").contains(issuer.id);
    }

    // what a hostile writer of the decisions topic tries

    @Test
    void aWriteGrantNotSignedByItsHolderIsABadSignature() {
        Party mallory = new Party(carol.id, "holder");
        harness.decisions.pipeInput(carol.id, new DecisionEvent(WriteGrantRecords.writeGrant(mallory.signing,
                UUID.randomUUID().toString(), carol.id, issuer.id, "", List.of("kyc"), harness.now(),
                harness.now() + Duration.ofDays(1).toMillis())));
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(tuple("bad-signature", harness.catalog.accessDecisions().name()),
                        tuple("no-write-grant", harness.catalog.credentialsIssued().name()));
    }

    @Test
    void aWriteGrantNamingAnUnregisteredHolderOrIssuerOrANonIssuerIsRefused() {
        Party ghost = new Party("ghost", "holder");
        Party unknownIssuer = new Party("nobody-co", "issuer");
        pipe(ghost.id, signed(ghost, issuer, List.of("kyc"), harness.now()));
        pipe(carol.id, signed(carol, unknownIssuer, List.of("kyc"), harness.now()));
        pipe(carol.id, signed(carol, exchange, List.of("kyc"), harness.now()));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason)
                .containsExactly("unknown-holder", "unknown-principal", "wrong-role");
        assertThat(harness.issuerNoticesOf(issuer)).isEmpty();
    }

    @Test
    void aWriteGrantSentAgainIsAReplayAndOneOutsideTheWindowIsStaleOrFutureDated() {
        WriteGrant genuine = signed(carol, issuer, List.of("kyc"), harness.now());
        pipe(carol.id, genuine);
        pipe(carol.id, genuine);
        pipe(carol.id, signed(carol, issuer, List.of("kyc"), harness.now() - harness.config.replayWindowMs() - 1));
        pipe(carol.id, signed(carol, issuer, List.of("kyc"), harness.now() + Checks.MAX_CLOCK_SKEW_MS + 1));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason)
                .containsExactly("replay", "stale", "future-dated");
        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind)
                .containsExactly(IssuerNoticeKind.WRITE_GRANTED);
    }

    @Test
    void aWriteGrantOfMalformedTypesOrThatNeverEndsIsMalformedBeforeItsSignatureIsChecked() {
        WriteGrant genuine = signed(carol, issuer, List.of("address", "kyc"), harness.now());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setCredentialTypes(List.of("kyc", "address")).build());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setCredentialTypes(List.of()).build());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setCredentialTypes(List.of("kyc", "kyc")).build());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setCredentialTypes(List.of("x".repeat(129))).build());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setExpiresAt(genuine.getIssuedAt()).build());
        pipe(carol.id, WriteGrant.newBuilder(genuine).setWriteGrantId("not-a-uuid").build());

        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsOnly("malformed").hasSize(6);
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));
        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("no-write-grant");
    }

    @Test
    void aRevocationOfAWriteGrantNotInForceOrNotSignedByItsHolderIsRefused() {
        WriteGrant allowed = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(1));
        Party mallory = new Party(carol.id, "holder");
        harness.decisions.pipeInput(carol.id, new DecisionEvent(WriteGrantRecords.revocation(mallory.signing,
                allowed.getWriteGrantId(), carol.id, harness.now())));
        harness.decisions.pipeInput(carol.id, new DecisionEvent(WriteGrantRecords.revocation(carol.signing,
                UUID.randomUUID().toString(), carol.id, harness.now())));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason)
                .containsExactly("bad-signature", "unknown-grant");
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));
        assertThat(harness.rejections()).as("a credential under the write grant still in force").isEmpty();
    }

    @Test
    void aCredentialRefusedForWantOfAWriteGrantSentAgainOnceTheHolderAllowsItsIssuerIsAReplay() {
        Credentials.IssuedCredential unasked = harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));
        harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(30));
        harness.stored.readValuesToList();

        // anyone who read idstream.rejected sends the refused credential's bytes again, now that carol allows kyc-co
        harness.issued.pipeInput(carol.id, new IssuanceEvent(CredentialRecords.toAvro(unasked)));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("no-write-grant", "no write grant of holder 'carol' in force allows 'kyc-co' to write "
                        + "credentials of type 'kyc'"),
                tuple("replay", "credential:" + unasked.header().credentialId() + " was already used"));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void theIdOfARevokedWriteGrantIsKeptUntilItWouldHaveExpired() {
        WriteGrant forThirtyDays = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(30));
        harness.decisions.pipeInput(carol.id, new DecisionEvent(WriteGrantRecords.revocation(carol.signing,
                forThirtyDays.getWriteGrantId(), carol.id, harness.now())));
        harness.advance(Duration.ofMillis(harness.config.replayWindowMs()).plusMinutes(1));
        harness.issuerNoticesOf(issuer);

        // the same id signed again as issued now: fresh under any window, so only the kept id refuses it
        pipe(carol.id, WriteGrantRecords.writeGrant(carol.signing, forThirtyDays.getWriteGrantId(), carol.id,
                issuer.id, "", List.of("kyc"), harness.now(), forThirtyDays.getExpiresAt()));
        harness.issue(issuer, carol, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("replay", "write-grant:" + forThirtyDays.getWriteGrantId() + " was already used"),
                tuple("no-write-grant", "no write grant of holder 'carol' in force allows 'kyc-co' to write "
                        + "credentials of type 'kyc'"));
        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind)
                .containsExactly(IssuerNoticeKind.CREDENTIAL_REFUSED);
    }

    @Test
    void aWriteGrantTheHoldersKeyBoundNowDidNotSignEndsAtTheIssuersNextCredential() {
        WriteGrant beforeTheRotation = harness.allowIssuer(carol, issuer, List.of("kyc"), Duration.ofDays(30));
        harness.issuerNoticesOf(issuer);
        Party rotated = harness.rotate(carol, harness.now() + 1);

        harness.issue(issuer, rotated, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("no-write-grant");
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind, IssuerNotice::getWriteGrantId)
                .containsExactly(tuple(IssuerNoticeKind.WRITE_GRANT_ENDED, beforeTheRotation.getWriteGrantId()),
                        tuple(IssuerNoticeKind.CREDENTIAL_REFUSED, ""));
    }

    private WriteGrant signed(Party holder, Party issuerNamed, List<String> types, long issuedAt) {
        return WriteGrantRecords.writeGrant(holder.signing, UUID.randomUUID().toString(), holder.id, issuerNamed.id,
                "", types, issuedAt, issuedAt + Duration.ofDays(1).toMillis());
    }

    private void pipe(String key, WriteGrant writeGrant) {
        harness.decisions.pipeInput(key, new DecisionEvent(writeGrant));
    }
}
