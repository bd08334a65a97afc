package io.idstream.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Grant;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.processors.directory.VerifiedDirectoryLoader;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory split by need (docs/protocol.md section 10): a holder's entry is read from the state of the task that
 * verified it, which is the task of every other record of hers, and never from the global store; issuers and
 * consumers are read from the global store alone, which is loaded from {@code directory.global} and refuses a holder's
 * entry written there.
 */
class DirectorySplitTopologyTest extends RegisteredPartiesFixture {
    private KeyValueStore<String, VerifiedPrincipal> global;
    private KeyValueStore<String, VerifiedPrincipal> ownState;
    private TestInputTopic<String, VerifiedPrincipal> globalDirectoryWriter;
    private TestOutputTopic<String, VerifiedPrincipal> globalDirectory;

    @BeforeEach
    void openTheDirectoryStores() {
        global = harness.driver.getKeyValueStore(StoreNames.DIRECTORY);
        ownState = harness.driver.getKeyValueStore(StoreNames.DIRECTORY_STATE);
        globalDirectoryWriter = harness.driver.createInputTopic(harness.catalog.directoryGlobal().name(),
                new StringSerializer(), harness.catalog.directoryGlobal().valueSerde().serializer());
        globalDirectory = harness.driver.createOutputTopic(harness.catalog.directoryGlobal().name(),
                new StringDeserializer(), harness.catalog.directoryGlobal().valueSerde().deserializer());
    }

    @Test
    void aHoldersRegistrationServesHerIssuanceAndDecisionsInHerOwnTaskWithoutAnyGlobalEntry() {
        // Given alice registered, and her write grant to kyc-co accepted, with her entry in her task's state alone
        assertThat(global.get(alice.id)).as("alice in the global store").isNull();
        assertThat(globalDirectory.readKeyValuesToMap()).as("the global directory")
                .containsOnlyKeys(issuer.id, exchange.id, app.id);

        // When kyc-co issues her a credential, exchange-a asks for it and she grants it
        Credentials.IssuedCredential credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));
        harness.deliveriesOf(exchange);
        Grant grant = harness.grant(alice, exchange, credential, request.getRequestId(), List.of("country"),
                Duration.ofDays(1), 1);

        // Then the credential is stored, and the request is served from her grant, verified and opened
        assertThat(harness.stored.readValuesToList()).as("alice's vault").singleElement()
                .satisfies(stored -> assertThat(stored.getCredential().getCredentialId())
                        .isEqualTo(credential.header().credentialId()));
        assertServedFromGrant(request, grant);
    }

    @Test
    void theLoaderRefusesAHoldersEntryWrittenToTheGlobalDirectory() {
        // Given a writer of the global directory, who adds a holder of its own making with a genuine self-signature
        Party mallory = new Party("mallory", "holder");
        VerifiedPrincipal forged = new VerifiedPrincipal(mallory.registration(harness.now()), null, harness.now(),
                null, 0L, List.of());

        // When the entry is loaded, and kyc-co issues mallory a credential
        globalDirectoryWriter.pipeInput(mallory.id, forged);
        harness.issue(issuer, mallory, "kyc", Map.of("country", "DE"));

        // Then the entry is refused and counted, and the credential refused as for an unknown holder
        assertThat(global.get(mallory.id)).as("mallory in the global store").isNull();
        assertThat(refusedEntries()).as(VerifiedDirectoryLoader.REFUSED_METRIC).isEqualTo(1.0);
        assertRejected("the credential to mallory", "unknown-holder", harness.catalog.credentialsIssued().name());
    }

    @Test
    void anIssuersEntryInTheTasksOwnStateAloneIsNotUsed() {
        // Given an accredited issuer's entry, with genuine signatures, put in the task's own directory state only,
        // where nothing but the directory processor writes and nothing but holders are read
        Party rogue = new Party("rogue-kyc", "issuer");
        ownState.put(rogue.id, new VerifiedPrincipal(rogue.registration(harness.now()),
                rogue.accreditationBy(harness.operator, harness.now()), harness.now(), null, 0L, List.of()));
        harness.allowIssuer(alice, rogue, List.of("kyc"), Duration.ofDays(1));
        harness.rejections();

        // When it issues alice a credential
        harness.issue(rogue, alice, "kyc", Map.of("country", "DE"));

        // Then the credential is refused as from an unknown issuer, and nothing is stored
        assertRejected("the rogue issuer's credential", "unknown-principal",
                harness.catalog.credentialsIssued().name());
        assertThat(harness.stored.readValuesToList()).as("alice's vault").isEmpty();
    }

    @Test
    void theSameEntryLoadedAgainIsAcceptedUnchanged() {
        // Given kyc-co's accredited entry, loaded from the global directory
        VerifiedPrincipal loaded = global.get(issuer.id);
        assertThat(loaded.getAccreditation()).as("kyc-co's accreditation").isNotNull();

        // When the same entry is written again, as a task republishes its issuers and consumers after an upgrade
        globalDirectoryWriter.pipeInput(issuer.id, loaded);

        // Then nothing is refused, and kyc-co stays accredited
        assertThat(refusedEntries()).as(VerifiedDirectoryLoader.REFUSED_METRIC).isEqualTo(0.0);
        assertThat(global.get(issuer.id)).isEqualTo(loaded);
    }

    @Test
    void theProcessorsReadTheGlobalDirectoryAloneAndTheRawDirectoryWithTheHoldersTopicsInOneSubTopology() {
        TopologyDescription description = IdstreamTopology.build(harness.config, harness.catalog,
                new NoPrincipalTopics(), new NoPrincipalTopics()).describe();

        assertThat(description.globalStores()).as("global stores").singleElement()
                .satisfies(store -> assertThat(store.source().topicSet())
                        .containsExactly(harness.catalog.directoryGlobal().name()));
        assertThat(description.subtopologies()).as("sub-topologies").singleElement()
                .satisfies(holders -> assertThat(holders.nodes().stream()
                        .filter(node -> node instanceof TopologyDescription.Source)
                        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                        .collect(Collectors.toSet())).containsExactlyInAnyOrder(
                                harness.catalog.directory().name(), harness.catalog.credentialsIssued().name(),
                                harness.catalog.accessRequests().name(), harness.catalog.accessDecisions().name()));
    }

    @Test
    void aRegistrationOfAnIssuerGoesToTheGlobalDirectoryAndOneOfAHolderDoesNot() {
        globalDirectory.readRecordsToList();

        harness.register("carol", "holder");
        harness.register("notary-co", "issuer");
        harness.register("dave", "consumer");

        assertThat(globalDirectory.readKeyValuesToMap()).containsOnlyKeys("notary-co", "dave");
        assertThat(harness.verified.readKeyValuesToMap()).as("the verified directory, which participants read")
                .containsKeys("carol", "notary-co", "dave");
    }

    private double refusedEntries() {
        return harness.driver.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals(VerifiedDirectoryLoader.REFUSED_METRIC))
                .map(Map.Entry::getValue).map(Metric::metricValue).mapToDouble(value -> (Double) value).sum();
    }

    /** Principals' topics that exist for no principal; describing the topology creates none. */
    private static final class NoPrincipalTopics implements PrincipalTopics {
        @Override
        public void ensure(String principalId) {
        }

        @Override
        public boolean exists(String principalId) {
            return false;
        }
    }
}
