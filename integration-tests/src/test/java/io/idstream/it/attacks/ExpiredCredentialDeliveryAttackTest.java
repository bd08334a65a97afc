package io.idstream.it.attacks;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.processors.TopologyHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Reading a credential past its expiry: the holder granted a consumer 30 days of access to a credential its issuer
 * made valid for one hour. Once the hour has passed, the consumer's request, naming the credential, still finds the
 * standing grant. The processors check the credential's {@code expiresAt} against their clock whenever they answer
 * a request, so the consumer hears {@code EXPIRED} instead of receiving the fields.
 */
@Timeout(60)
class ExpiredCredentialDeliveryAttackTest extends AttackedTopology {
    static final List<String> FIELDS = List.of("country");

    @Test
    void aStandingGrantDeliversNothingOnceTheCredentialHasExpired() {
        Credentials.IssuedCredential credential = issueValidFor(Duration.ofHours(1));
        String credentialId = credential.header().credentialId();
        harness.grant(alice, exchange, credential, "", FIELDS, Duration.ofDays(30), 5);
        AccessRequest beforeExpiry = requestNaming(credentialId);
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("deliveries within the hour")
                .extracting(d -> d.getRequestId()).containsExactly(beforeExpiry.getRequestId());

        harness.advance(Duration.ofHours(2));
        AccessRequest afterExpiry = requestNaming(credentialId);

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries after the credential expired").isEmpty();
        assertThat(notices(events)).as("what exchange-a hears instead")
                .extracting(ConsumerNotice::getKind, ConsumerNotice::getRequestId, ConsumerNotice::getCredentialId)
                .containsExactly(tuple(NoticeKind.EXPIRED, afterExpiry.getRequestId(), credentialId));
        assertThat(harness.audit.readValuesToList()).as("alice's audit of the request")
                .filteredOn(a -> a.getRequestId().equals(afterExpiry.getRequestId()))
                .extracting(AccessAudit::getOutcome).containsExactly(AuditOutcome.EXPIRED);
        assertThat(harness.rejections()).as("refused records").isEmpty();
    }

    private Credentials.IssuedCredential issueValidFor(Duration validity) {
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), alice.id, issuer.id, "kyc",
                harness.now(), harness.now() + validity.toMillis());
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                alice.encryption.publicKey(), Map.of("country", "DE"));
        harness.issued.pipeInput(alice.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));
        return credential;
    }

    private AccessRequest requestNaming(String credentialId) {
        AccessRequest request = TopologyHarness.signedRequest(exchange, alice, "", credentialId, FIELDS,
                harness.now());
        harness.requests.pipeInput(alice.id, request);
        return request;
    }
}
