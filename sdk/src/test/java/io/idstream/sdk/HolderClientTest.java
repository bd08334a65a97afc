package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.Grant;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The holder's side of docs/protocol.md section 6, without a broker: the grants it signs and how it reads its trail.
 */
class HolderClientTest {
    static final long NOW = 1_800_000_000_000L;

    final DeliveryFixture fixture = new DeliveryFixture();

    private Grant sign(List<String> fields, HolderClient.Scope scope) {
        return HolderGrants.sign(fixture.holder, fixture.credential, fixture.consumer.id(),
                fixture.consumer.encryption().publicKey(), "", "onboarding", fields, scope, NOW);
    }

    @Test
    void aGrantCarriesItsScopeAndVerifiesAsTheAccessProcessorChecksIt() {
        Grant grant = sign(List.of("age_over_18", "country"), new HolderClient.Scope(null, Duration.ofDays(30), 3));

        GrantRecords.verify(fixture.holder.signing().publicKey(), grant);
        assertThat(grant.getIssuedAt()).as("issuedAt, signed").isEqualTo(NOW);
        assertThat(grant.getNotBefore()).isEqualTo(NOW);
        assertThat(grant.getExpiresAt()).isEqualTo(NOW + Duration.ofDays(30).toMillis());
        assertThat(grant.getMaxUses()).isEqualTo(3);
        assertThat(grant.getFields()).containsExactly("age_over_18", "country");
        assertThatThrownBy(() -> GrantRecords.verify(SigningKeyPair.generate().publicKey(), grant))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void aGrantWithoutAnEndHasNoExpiry() {
        assertThat(sign(List.of("country"), new HolderClient.Scope(null, null, 0)).getExpiresAt()).isZero();
    }

    @Test
    void theGrantedKeysOpenForTheConsumerAndOnlyTheGrantedFields() {
        Grant grant = sign(List.of("country"), new HolderClient.Scope(null, null, 0));

        DeliveryVerification result = new DeliveryVerifier(fixture.consumer.encryption()).verify(
                DeliveryRecords.toDelivery(fixture.delivery(grant, List.of("country"), NOW + 1)),
                fixture.issuer.publicKey(), fixture.holder.signing().publicKey());

        assertThat(result).isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                verified -> assertThat(verified.values()).isEqualTo(Map.of("country", "DE")));
    }

    @Test
    void aMalformedFieldNameIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> sign(List.of("Not A Field"), new HolderClient.Scope(null, null, 0)))
                .isInstanceOf(IdstreamException.class).hasMessageContaining("field name");
    }

    @Test
    void activeGrantsAreThoseGrantedAndNotYetEnded() {
        List<AccessAudit> trail = List.of(
                audit("g1", AuditOutcome.GRANTED), audit("g2", AuditOutcome.GRANTED), audit("g3", AuditOutcome.GRANTED),
                audit("g4", AuditOutcome.GRANTED), audit("g1", AuditOutcome.DELIVERED),
                audit("g1", AuditOutcome.REVOKED), audit("g3", AuditOutcome.EXPIRED),
                audit("g4", AuditOutcome.KEY_CHANGED));

        assertThat(HolderClient.activeGrants(trail)).containsOnlyKeys("g2");
    }

    @Test
    void aGrantViewCountsTheUsesLeft() {
        HolderClient.GrantView limited = new HolderClient.GrantView("g1", "exchange-a", "c1", List.of("country"),
                "onboarding", NOW, 0L, 3, 2);
        HolderClient.GrantView unlimited = new HolderClient.GrantView("g2", "exchange-a", "c1", List.of("country"),
                "onboarding", NOW, 0L, 0, 7);

        assertThat(limited.usesLeft()).isEqualTo(1);
        assertThat(unlimited.usesLeft()).isEqualTo(-1);
    }

    private static AccessAudit audit(String grantId, AuditOutcome outcome) {
        return new AccessAudit("alice", "exchange-a", "c1", "", grantId, List.of("country"), "onboarding", outcome,
                NOW);
    }
}
