package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.DecisionRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The end of a credential, by its issuer's revocation or its holder's erasure, ends exactly what is on it: the
 * grants on it (their consumers are told and the end is audited), the requests parked on it (their consumers are
 * told), and the holder is told; grants and requests on the holder's other credential go on. A holder's revocation
 * filed under another holder's key is refused.
 */
class CredentialEndingsTopologyTest extends RegisteredPartiesFixture {
    Credentials.IssuedCredential kyc;
    Credentials.IssuedCredential address;
    Grant kycGrant;
    Grant addressGrant;
    AccessRequest parkedOnKyc;
    AccessRequest parkedOnAddress;

    @BeforeEach
    void twoCredentialsEachWithAGrantAndAParkedRequest() {
        kyc = harness.issue(issuer, alice, "kyc", Map.of("country", "DE", "age_over_18", "true"));
        address = harness.issue(issuer, alice, "address", Map.of("country", "DE", "city", "Berlin"));
        kycGrant = harness.grant(alice, exchange, kyc, "", List.of("country"), null, 0);
        addressGrant = harness.grant(alice, exchange, address, "", List.of("country"), null, 0);
        parkedOnKyc = harness.request(app, alice, "kyc", List.of("age_over_18"));
        parkedOnAddress = harness.request(app, alice, "address", List.of("city"));
        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind)
                .containsExactly(NoticeKind.PENDING, NoticeKind.PENDING);
        harness.inbox.readValuesToList();
        harness.audit.readValuesToList();
        harness.stored.readValuesToList();
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void issuerRevocationEndsWhatIsOnTheCredentialOnly() {
        harness.revokeCredential(issuer, alice, kyc, "document reported stolen");

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getGrantId).containsExactly(tuple(NoticeKind.CREDENTIAL_REVOKED,
                kycGrant.getGrantId()));
        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getRequestId).containsExactly(tuple(NoticeKind.CREDENTIAL_REVOKED,
                parkedOnKyc.getRequestId()));
        assertThat(holderNotices()).extracting(HolderNotice::getKind, HolderNotice::getCredentialId)
                .containsExactly(tuple(HolderNoticeKind.CREDENTIAL_REVOKED, kyc.header().credentialId()));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome, AccessAudit::getGrantId)
                .containsExactly(tuple(AuditOutcome.CREDENTIAL_REVOKED, kycGrant.getGrantId()));
        assertTheAddressGoesOn();
    }

    @Test
    void erasureEndsWhatIsOnTheCredentialOnlyAndTellsTheHolder() {
        harness.erase(alice, kyc.header().credentialId());

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getGrantId).containsExactly(tuple(NoticeKind.ERASED, kycGrant.getGrantId()));
        assertThat(notices(harness.deliveriesOf(app))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getRequestId).containsExactly(tuple(NoticeKind.ERASED, parkedOnKyc.getRequestId()));
        assertThat(holderNotices()).extracting(HolderNotice::getKind, HolderNotice::getCredentialId)
                .containsExactly(tuple(HolderNoticeKind.CREDENTIAL_ERASED, kyc.header().credentialId()));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome, AccessAudit::getGrantId,
                AccessAudit::getCredentialId).containsExactly(
                tuple(AuditOutcome.ERASED, kycGrant.getGrantId(), kyc.header().credentialId()),
                tuple(AuditOutcome.ERASED, "", kyc.header().credentialId()));
        assertTheAddressGoesOn();
    }

    @Test
    void revocationFiledUnderAnotherHolderIsAKeyMismatch() {
        harness.decisions.pipeInput(bob.id, new DecisionEvent(DecisionRecords.revocation(alice.signing,
                kycGrant.getGrantId(), alice.id, harness.now())));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("key-mismatch", "record key 'bob' is not the holder id 'alice'"));
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic: no REVOKED").isEmpty();
    }

    /** The grant on the address still serves exchange-a, and app-b's request on it still waits for Alice. */
    private void assertTheAddressGoesOn() {
        AccessRequest request = harness.request(exchange, alice, "address", List.of("country"));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).extracting(CredentialDelivery::getRequestId,
                d -> d.getGrant().getGrantId()).containsExactly(tuple(request.getRequestId(),
                addressGrant.getGrantId()));
        harness.grant(alice, app, address, parkedOnAddress.getRequestId(), List.of("city"), null, 1);
        assertThat(credentialDeliveries(harness.deliveriesOf(app))).extracting(CredentialDelivery::getRequestId)
                .containsExactly(parkedOnAddress.getRequestId());
        assertThat(harness.rejections()).as("rejections").isEmpty();
    }

    private List<HolderNotice> holderNotices() {
        return harness.inbox.readValuesToList().stream().map(InboxEvent::getEvent)
                .filter(HolderNotice.class::isInstance).map(HolderNotice.class::cast).toList();
    }
}
