package io.idstream.cli.client;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.sdk.DeliveryOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands' output, as text and as JSON: the same result in both, field names and never a field's value. */
@Timeout(10)
class RendererTest {
    static final DeliveryOutcome DELIVERED = new DeliveryOutcome.Delivered("r1", "alice", "kyc-co", "c1", "g1",
            Map.of("country", "DE", "full_name", "Alice Example"));

    @Test
    void aDeliveryShowsItsFieldNamesAndNeverTheirValues() {
        assertThat(render(false, r -> r.outcome(DELIVERED)))
                .isEqualTo("DELIVERED  r1  alice  [country, full_name]  verified\n");
        assertThat(render(true, r -> r.outcome(DELIVERED))).isEqualTo("{\"outcome\":\"DELIVERED\",\"requestId\":\"r1\","
                + "\"holderId\":\"alice\",\"credentialId\":\"c1\",\"grantId\":\"g1\","
                + "\"fields\":[\"country\",\"full_name\"],\"verified\":true}\n");
    }

    @Test
    void aRefusalNamesTheCheckThatFailed() {
        DeliveryOutcome refused = new DeliveryOutcome.Refused("r2", DeliveryVerification.Check.HOLDER_SIGNATURE,
                "bad signature");
        assertThat(render(false, r -> r.outcome(refused)))
                .isEqualTo("REFUSED    r2  HOLDER_SIGNATURE: bad signature\n");
        assertThat(render(true, r -> r.outcome(refused))).isEqualTo("{\"outcome\":\"REFUSED\",\"requestId\":\"r2\","
                + "\"check\":\"HOLDER_SIGNATURE\",\"reason\":\"bad signature\"}\n");
    }

    @Test
    void aNoticeWithoutARequestIsShownByItsGrant() {
        DeliveryOutcome revoked = new DeliveryOutcome.Notice("", NoticeKind.REVOKED, "alice", "g1", "c1",
                "revoked by the holder");
        assertThat(render(false, r -> r.outcome(revoked))).isEqualTo("REVOKED    g1  alice  revoked by the holder\n");
        assertThat(render(true, r -> r.outcome(revoked))).isEqualTo("{\"outcome\":\"REVOKED\",\"requestId\":\"\","
                + "\"holderId\":\"alice\",\"grantId\":\"g1\",\"reason\":\"revoked by the holder\"}\n");
    }

    @Test
    void anAuditEntryAsJsonKeepsItsKeysInOrder() {
        AccessAudit entry = AccessAudit.newBuilder().setHolderId("alice").setConsumerId("exchange-a")
                .setCredentialId("c1").setRequestId("r1").setGrantId("g1").setFields(List.of("country"))
                .setPurpose("onboarding").setOutcome(AuditOutcome.DELIVERED).setAt(1_700_000_000_000L).build();
        assertThat(render(true, r -> r.audit(entry))).isEqualTo("{\"at\":1700000000000,\"outcome\":\"DELIVERED\","
                + "\"consumerId\":\"exchange-a\",\"credentialId\":\"c1\",\"requestId\":\"r1\",\"grantId\":\"g1\","
                + "\"fields\":[\"country\"],\"purpose\":\"onboarding\"}\n");
        assertThat(render(false, r -> r.audit(entry)))
                .endsWith("  DELIVERED          exchange-a   [country]  onboarding\n");
    }

    private static String render(boolean json, Consumer<Renderer> print) {
        StringWriter out = new StringWriter();
        Renderer renderer = new Renderer(new PrintWriter(out), json);
        print.accept(renderer);
        renderer.flush();
        return out.toString().replace(System.lineSeparator(), "\n");
    }
}
