package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.Revocation;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.DecisionRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A notice that ends a consumer's access carries the holder's or issuer's signed record that ended it, as it was
 * sent, for the consumer to verify (docs/protocol.md sections 8 and 12); a notice the processors decide alone
 * (PENDING, EXPIRED) carries none.
 */
class SignedNoticesTopologyTest extends RegisteredPartiesFixture {
    Credentials.IssuedCredential kyc;
    Grant grant;

    @BeforeEach
    void aCredentialAndAGrantOnIt() {
        kyc = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        grant = harness.grant(alice, exchange, kyc, "", List.of("country"), null, 0);
    }

    private ConsumerNotice onlyNotice(Party consumer, NoticeKind kind) {
        List<ConsumerNotice> notices = notices(harness.deliveriesOf(consumer)).stream()
                .filter(n -> n.getKind() == kind).toList();
        assertThat(notices).as("%s notices to %s", kind, consumer.id).hasSize(1);
        return notices.get(0);
    }

    @Test
    void aDeniedNoticeCarriesTheHoldersSignedDenial() {
        AccessRequest request = harness.request(app, alice, "kyc", List.of("country"));
        harness.deny(alice, request.getRequestId());

        List<ConsumerNotice> notices = notices(harness.deliveriesOf(app));
        assertThat(notices).extracting(ConsumerNotice::getKind).containsExactly(NoticeKind.PENDING,
                NoticeKind.DENIED);
        assertThat(notices.get(0).getStatement()).as("a PENDING notice's statement").isNull();
        assertThat(notices.get(1).getStatement()).isInstanceOfSatisfying(Denial.class, denial -> {
            assertThat(denial.getRequestId()).isEqualTo(request.getRequestId());
            DecisionRecords.verify(alice.signing.publicKey(), denial);
        });
    }

    @Test
    void aRevokedNoticeCarriesTheHoldersSignedRevocation() {
        harness.revokeGrant(alice, grant.getGrantId());

        assertThat(onlyNotice(exchange, NoticeKind.REVOKED).getStatement()).isInstanceOfSatisfying(Revocation.class,
                revocation -> {
                    assertThat(revocation.getGrantId()).isEqualTo(grant.getGrantId());
                    DecisionRecords.verify(alice.signing.publicKey(), revocation);
                });
    }

    @Test
    void anErasedNoticeCarriesTheHoldersSignedErasure() {
        harness.erase(alice, kyc.header().credentialId());

        assertThat(onlyNotice(exchange, NoticeKind.ERASED).getStatement()).isInstanceOfSatisfying(Erasure.class,
                erasure -> {
                    assertThat(erasure.getCredentialId()).isEqualTo(kyc.header().credentialId());
                    DecisionRecords.verify(alice.signing.publicKey(), erasure);
                });
    }

    @Test
    void everyCredentialRevokedNoticeCarriesTheIssuersSignedRevocationAlsoForALaterRequest() {
        harness.revokeCredential(issuer, alice, kyc, "document reported stolen");
        harness.requests.pipeInput(alice.id, TopologyHarness.signedRequest(app, alice, "",
                kyc.header().credentialId(), List.of("country"), harness.now()));

        for (Party consumer : List.of(exchange, app)) {
            assertThat(onlyNotice(consumer, NoticeKind.CREDENTIAL_REVOKED).getStatement()).as("to %s", consumer.id)
                    .isInstanceOfSatisfying(CredentialRevoked.class, revoked -> {
                        assertThat(revoked.getCredentialId()).isEqualTo(kyc.header().credentialId());
                        assertThat(revoked.getReason()).isEqualTo("document reported stolen");
                        DecisionRecords.verify(issuer.signing.publicKey(), revoked);
                    });
        }
    }

    @Test
    void anExpiredNoticeCarriesNoStatement() {
        harness.grant(alice, app, kyc, "", List.of("country"), Duration.ofMinutes(1), 0);
        harness.advance(Duration.ofMinutes(2));

        assertThat(onlyNotice(app, NoticeKind.EXPIRED).getStatement()).isNull();
    }
}
