package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.gateway.views.HolderViews.AuditEntry;
import io.idstream.gateway.views.HolderViews.AuditPage;
import io.idstream.processors.Party;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holder's audit trail as the gateway serves it, page by page in the order the processors wrote it; and what
 * one holder reads is theirs alone, whatever another holder's id begins with.
 */
@Timeout(120)
class AuditViewTopologyTest {
    private GatewayHarness gateway;
    private Party issuer;
    private Party exchange;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new GatewayHarness();
        issuer = gateway.accreditedIssuer();
        exchange = gateway.register("exchange-a", "consumer");
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void theTrailIsReadPageByPageInTheOrderItWasWritten() {
        // Given five requests to alice and, between them, requests to bob, audited in one partition
        Party alice = gateway.register("alice", "holder");
        Party bob = gateway.register("bob", "holder");
        gateway.issue(issuer, alice);
        gateway.issue(issuer, bob);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asked.add(gateway.request(exchange, alice).getRequestId());
            gateway.request(exchange, bob);
        }
        gateway.passAll();

        // When alice reads her trail two entries at a time
        AuditPage first = gateway.views.audit("alice", -1, 2);
        AuditPage second = gateway.views.audit("alice", first.next(), 2);
        AuditPage last = gateway.views.audit("alice", second.next(), 2);

        // Then she reads her five entries once each, in order, and the last page says it is the last
        List<AuditEntry> read = new ArrayList<>();
        read.addAll(first.entries());
        read.addAll(second.entries());
        read.addAll(last.entries());
        assertThat(read).extracting(e -> e.entry().getRequestId()).containsExactlyElementsOf(asked);
        assertThat(read).extracting(e -> e.entry().getOutcome()).containsOnly(AuditOutcome.PENDING);
        assertThat(read).extracting(AuditEntry::cursor).isSorted().doesNotHaveDuplicates();
        assertThat(first.entries()).hasSize(2);
        assertThat(second.entries()).hasSize(2);
        assertThat(first.next()).isEqualTo(first.entries().get(1).cursor());
        assertThat(second.next()).isEqualTo(second.entries().get(1).cursor());
        assertThat(last.entries()).hasSize(1);
        assertThat(last.next()).isEqualTo(-1);
        assertThat(gateway.views.audit("alice", read.get(4).cursor(), 2).entries()).isEmpty();
        assertThat(gateway.views.audit("alice", Long.MAX_VALUE, 2).entries()).as("entries after the largest cursor")
                .isEmpty();
    }

    @Test
    void aHolderNeverReadsTheItemsOfAHolderWhoseIdStartsWithTheirs() {
        // Given holders al and alice, each with a credential, a pending request and a grant in force
        Party al = gateway.register("al", "holder");
        Party alice = gateway.register("alice", "holder");
        for (Party holder : List.of(al, alice)) {
            var credential = gateway.issue(issuer, holder);
            AccessRequest request = gateway.request(exchange, holder);
            gateway.grant(holder, exchange, credential, request.getRequestId(), 5);
            gateway.processors.request(exchange, holder, "other", List.of("country"));
        }
        gateway.passAll();
        // and an audit entry of alice's written under a key that begins with al's id
        AccessAudit entry = gateway.views.audit("alice", -1, 1).entries().get(0).entry();
        gateway.writeAudit("al/ice", entry);

        // Then each reads exactly their own
        for (String holderId : List.of("al", "alice")) {
            assertThat(gateway.views.credentials(holderId)).extracting(c -> c.getCredential().getHolderId())
                    .containsOnly(holderId).hasSize(1);
            assertThat(gateway.views.inbox(holderId, gateway.now())).extracting(r -> r.getRequest().getHolderId())
                    .containsOnly(holderId).hasSize(1);
            assertThat(gateway.views.grants(holderId)).extracting(g -> g.grant().getHolderId())
                    .containsOnly(holderId).hasSize(1);
            assertThat(gateway.views.audit(holderId, -1, 500).entries())
                    .extracting(e -> e.entry().getHolderId()).containsOnly(holderId);
        }
        assertThat(gateway.ignored("holder-mismatch")).isEqualTo(1.0);
    }

    @Test
    void aRecordThatDoesNotDecodeIsSkippedAndTheNextIsRead() {
        // Given alice, and bytes on the audit topic under her key that are no audit entry
        Party alice = gateway.register("alice", "holder");
        gateway.issue(issuer, alice);
        gateway.writeRaw(gateway.catalog.audit().name(), "alice", "not avro".getBytes(StandardCharsets.UTF_8));

        // When her next genuine entry follows
        gateway.request(exchange, alice);
        gateway.passAll();

        // Then the trail holds the genuine entry alone, and the bytes are counted
        assertThat(gateway.views.audit("alice", -1, 50).entries()).extracting(e -> e.entry().getOutcome())
                .containsExactly(AuditOutcome.PENDING);
        assertThat(gateway.ignored("undecodable")).isEqualTo(1.0);
    }
}
