package io.idstream.it.attacks;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling a principal back through the directory the processors load: a writer of
 * {@code idstream.directory.global} sends an entry the processors themselves published earlier. Its signatures are
 * genuine, so only its age gives it away; were it loaded, the issuer would lose the accreditation it has now (or a
 * principal its current display name and encryption key). The processors load no entry older than the one in force.
 */
@Timeout(60)
class DirectoryRollbackAttackTest {
    TopologyHarness harness;
    Party issuer;
    Party alice;
    TestInputTopic<String, VerifiedPrincipal> verifiedDirectory;

    @BeforeEach
    void registerParties() throws Exception {
        harness = new TopologyHarness();
        verifiedDirectory = harness.driver.createInputTopic(harness.catalog.directoryGlobal().name(),
                new StringSerializer(), harness.catalog.directoryGlobal().valueSerde().serializer());
        alice = harness.register("alice", "holder");
        issuer = harness.register("kyc-co", "issuer");
        harness.advance(Duration.ofSeconds(1));
        harness.accredit(issuer);
        harness.allowIssuer(alice, issuer, List.of("kyc"), Duration.ofDays(30));
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void anEarlierEntryOfAnAccreditedIssuerSentAgainDoesNotTakeItsAccreditationAway() {
        List<VerifiedPrincipal> published = harness.verified.readValuesToList().stream()
                .filter(entry -> entry.getPrincipal().getId().equals(issuer.id)).toList();
        assertThat(published).as("the issuer's entries: registered, then accredited").hasSize(2);
        assertThat(published.get(0).getAccreditation()).as("the first entry").isNull();

        verifiedDirectory.pipeInput(issuer.id, published.get(0));
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).as("refused records").extracting(RejectedRecord::reason).isEmpty();
        assertThat(harness.stored.readValuesToList()).as("alice's vault").hasSize(1);
    }

    @Test
    void anEarlierRegistrationSentAgainDoesNotReplaceTheCurrentOne() {
        // The issuer registers again with the same key (a new display name or encryption key would do the same).
        harness.advance(Duration.ofSeconds(1));
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(issuer.registration(harness.now())));
        List<VerifiedPrincipal> published = harness.verified.readValuesToList().stream()
                .filter(entry -> entry.getPrincipal().getId().equals(issuer.id)).toList();

        assertThat(published).as("the issuer's entries: registered, accredited, registered again").hasSize(3);
        assertThat(published.get(2).getAccreditation()).as("the accreditation, kept for the same key").isNotNull();

        verifiedDirectory.pipeInput(issuer.id, published.get(0));
        harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));

        assertThat(harness.rejections()).as("refused records").extracting(RejectedRecord::reason).isEmpty();
        assertThat(harness.stored.readValuesToList()).as("alice's vault").hasSize(1);
    }
}
