package io.idstream.it.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.NoticeKind;
import io.idstream.it.SignedHttp;
import io.idstream.it.SignedHttp.Answer;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.HolderClient.Scope;
import io.idstream.sdk.IssuerClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.idstream.it.lifecycle.LifecyclePlatform.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The export of everything the platform holds on a holder (GDPR articles 15 and 20): after a story of consent, two
 * credentials, grants, a denial, a revocation and a delivery, the holder's export holds every credential opened to
 * the values the issuer wrote, every grant and write grant in force, and the holder's whole audit trail, entry for
 * entry as an independent reader of the audit topic finds it.
 */
@Timeout(180)
class ExportIT {
    private static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");
    private static final Map<String, String> ADDRESS = Map.of("city", "Berlin", "street", "Unter den Linden 1");

    @TempDir
    static Path dir;
    static LifecyclePlatform lifecycle;
    static IssuerClient kycCo;
    static ConsumerClient exchange;

    @BeforeAll
    static void start() {
        lifecycle = new LifecyclePlatform(dir);
        kycCo = lifecycle.issuer("kyc-co");
        exchange = lifecycle.consumer("exchange-a");
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    @Test
    void theExportHoldsEveryCredentialOpenedEveryGrantAndTheWholeAuditTrail() {
        // Given alice's story: kyc-co asks for her consent and she gives it; two credentials; exchange-a is served
        // one under a grant she then revokes, is denied the other, and is given a standing grant of it.
        HolderClient alice = lifecycle.holder("alice");
        String consentRequestId = kycCo.requestConsent("alice", List.of("address", "kyc"), "account opening");
        Awaitility.await("kyc-co's consent request in alice's inbox").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> alice.consentRequests().stream()
                        .anyMatch(c -> c.getConsentRequestId().equals(consentRequestId)));
        String writeGrantId = alice.allowIssuer("kyc-co", List.of("address", "kyc"), LifecyclePlatform.CONSENT,
                consentRequestId);
        assertThat(kycCo.awaitWriteGrant("alice", consentRequestId, WAIT)).as("kyc-co hears alice's consent")
                .isPresent();
        String kyc = lifecycle.issueStored(kycCo, "alice", "kyc", KYC);
        String address = lifecycle.issueStored(kycCo, "alice", "address", ADDRESS);
        alice.awaitCredential(address, WAIT);
        String revokedGrant;
        String standingGrant;
        try (DeliveryWatch deliveries = new DeliveryWatch(exchange, "export")) {
            String served = exchange.requestCredential("alice", kyc, List.of("country"), "onboarding");
            alice.awaitPending(served, WAIT);
            revokedGrant = alice.approve(served, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(served)).isInstanceOf(DeliveryOutcome.Delivered.class);
            String denied = exchange.requestCredential("alice", address, List.of("city"), "marketing");
            alice.awaitPending(denied, WAIT);
            alice.deny(denied);
            deliveries.await("DENIED for request " + denied, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.DENIED && n.requestId().equals(denied));
            alice.revoke(revokedGrant);
            deliveries.await("REVOKED for grant " + revokedGrant, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.REVOKED && n.grantId().equals(revokedGrant));
            standingGrant = alice.grant("exchange-a", address, "delivery address",
                    new Scope(List.of("city"), Duration.ofDays(7), 0));
        }
        List<AccessAudit> trail = Awaitility.await("the standing grant in alice's audit trail").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200)).until(() -> auditTopic("alice"), entries -> entries.stream()
                        .anyMatch(a -> a.getOutcome() == AuditOutcome.GRANTED
                                && a.getGrantId().equals(standingGrant)));
        assertThat(trail).as("the story's audit trail, read from the audit topic").extracting(AccessAudit::getOutcome)
                .contains(AuditOutcome.PENDING, AuditOutcome.GRANTED, AuditOutcome.DELIVERED, AuditOutcome.DENIED,
                        AuditOutcome.REVOKED);

        // When alice exports what the platform holds on her, once the gateway has read the whole story.
        List<String> expectedTrail = trail.stream().map(ExportIT::describe).toList();
        JsonNode document = Awaitility.await("alice's export holding the last entry of her story").atMost(WAIT)
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Answer answer = SignedHttp.send(SignedHttp.get(alice.identity(),
                            lifecycle.platform.gatewayUrl().resolve("/v1/holders/alice/export")));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                    return answer.json();
                }, json -> json.path("audit").findValues("entry").stream().anyMatch(entry -> entry.path("grantId")
                        .asText().equals(standingGrant) && entry.path("outcome").asText().equals("GRANTED")));
        var export = alice.export();

        // Then her export holds each credential opened to what kyc-co wrote, her grants and write grant in force,
        // and every entry of her audit trail.
        assertThat(auditEntries(document.path("audit"))).as("the audit trail in alice's export")
                .containsExactlyElementsOf(expectedTrail);
        assertThat(document.path("holderId").asText()).isEqualTo("alice");
        assertThat(document.path("credentials").findValuesAsText("credentialId")).as("credentials exported")
                .containsExactlyInAnyOrder(kyc, address);
        assertThat(ids(document.path("grants"), "grant", "grantId")).as("grants in force, exported")
                .containsExactly(standingGrant);
        assertThat(ids(document.path("writeGrants"), null, "writeGrantId")).as("write grants in force, exported")
                .containsExactly(writeGrantId);
        assertThat(export.credentials()).as("the credentials in alice's export, opened")
                .extracting(c -> c.credentialId(), c -> c.issuerId(), c -> c.type(), c -> c.fields())
                .containsExactlyInAnyOrder(tuple(kyc, "kyc-co", "kyc", KYC),
                        tuple(address, "kyc-co", "address", ADDRESS));
    }

    /** The holder's entries on the audit topic, oldest first, read to the end offsets of now. */
    private static List<AccessAudit> auditTopic(String holderId) {
        return lifecycle.readToEnd(lifecycle.platform.catalog().audit()).stream()
                .filter(r -> r.key().equals(holderId)).map(ConsumerRecord::value).toList();
    }

    /** The ids of an array's elements, each the element itself or, given a {@code wrapper}, its member of that name. */
    private static List<String> ids(JsonNode array, String wrapper, String idField) {
        List<String> ids = new ArrayList<>();
        for (JsonNode element : array) {
            ids.add((wrapper == null ? element : element.path(wrapper)).path(idField).asText());
        }
        return ids;
    }

    /** The exported audit entries ({"cursor", "entry"} as the audit route pages them) as {@link #describe} shows. */
    private static List<String> auditEntries(JsonNode array) {
        List<String> entries = new ArrayList<>();
        for (JsonNode element : array) {
            JsonNode entry = element.path("entry");
            List<String> fields = new ArrayList<>();
            entry.path("fields").forEach(f -> fields.add(f.asText()));
            entries.add(String.join(" ", entry.path("outcome").asText(), entry.path("consumerId").asText(),
                    entry.path("credentialId").asText(), entry.path("requestId").asText(),
                    entry.path("grantId").asText(), entry.path("purpose").asText(), String.valueOf(fields),
                    entry.path("at").asText()));
        }
        return entries;
    }

    private static String describe(AccessAudit entry) {
        return String.join(" ", entry.getOutcome().name(), entry.getConsumerId(), entry.getCredentialId(),
                entry.getRequestId(), entry.getGrantId(), entry.getPurpose(), String.valueOf(entry.getFields()),
                Long.toString(entry.getAt()));
    }
}
