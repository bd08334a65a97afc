package io.idstream.sdk;

import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The clients' waits end at the first record that matches, but answer with the state as it is when they return: a
 * directory entry replaced after the awaited record is reported as it is now. The platform runs without processors;
 * the test writes what the processors would have written, the awaited record and then the one that supersedes it,
 * before the client starts to wait, so the wait always sees both. (A holder's waits poll the holder gateway, whose
 * views keep only each key's latest record: gateway's CredentialsViewTopologyTest and InboxViewTopologyTest.)
 */
class AwaitCurrentStateIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static Platform platform;
    static KafkaProducer<String, byte[]> processorsOutput;

    final DeliveryFixture fixture = new DeliveryFixture();

    @BeforeAll
    static void startPlatform() {
        platform = TestPlatforms.start(dataDir);
        processorsOutput = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stopPlatform() {
        if (processorsOutput != null) {
            processorsOutput.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aDirectoryEntryReplacedByOneThatNoLongerPassesIsRefused() throws Exception {
        String id = "kyc-dropped";
        SigningKeyPair rotated = SigningKeyPair.generate();
        write(platform.catalog().directoryVerified(), id, id, verified(id, fixture.issuer, 1_000L));
        // A re-registration with a new signing key drops the accreditation (docs/protocol.md section 7).
        write(platform.catalog().directoryVerified(), id, id, new VerifiedPrincipal(registration(id, rotated), null,
                System.currentTimeMillis(), null, 0L, List.of()));

        try (KafkaGateway gateway = new KafkaGateway(platform.clientProperties())) {
            DirectoryClient directory = new DirectoryClient(gateway);

            Throwable refusal = catchThrowable(() -> directory.await(id, entry -> entry.getAccreditation() != null,
                    WAIT, "accreditation of '" + id + "'"));

            assertThat(refusal).as("the wait's answer once the accredited entry it saw was replaced")
                    .isInstanceOf(IdstreamException.class)
                    .hasMessage("accreditation of 'kyc-dropped': the directory has replaced the entry awaited");
        }
    }

    @Test
    void aDirectoryWaitAnswersWithTheLatestEntryThatPasses() throws Exception {
        String id = "kyc-renewed";
        write(platform.catalog().directoryVerified(), id, id, verified(id, fixture.issuer, 1_000L));
        write(platform.catalog().directoryVerified(), id, id, verified(id, fixture.issuer, 2_000L));

        try (KafkaGateway gateway = new KafkaGateway(platform.clientProperties())) {
            VerifiedPrincipal entry = new DirectoryClient(gateway).await(id, e -> e.getAccreditation() != null, WAIT,
                    "accreditation of '" + id + "'");

            assertThat(entry.getAccreditation().getAccreditedAt()).as("the accreditation in force now")
                    .isEqualTo(2_000L);
        }
    }

    private static VerifiedPrincipal verified(String id, SigningKeyPair key, long accreditedAt) {
        return new VerifiedPrincipal(registration(id, key), PrincipalRecords.accreditation(SigningKeyPair.generate(),
                new AccreditationStatement(id, "issuer", key.publicKey(), accreditedAt)), System.currentTimeMillis(), null,
                accreditedAt, List.of());
    }

    private static Principal registration(String id, SigningKeyPair key) {
        return PrincipalRecords.registration(key, new PrincipalStatement(id, "issuer", key.publicKey(),
                new byte[32], "KYC Co", System.currentTimeMillis()));
    }

    /**
     * Writes a record as the processors would: to the partition of {@code holderOrPrincipalId}, whatever its key (the
     * vault's key is {@code <holderId>/<credentialId>}); a null value is a tombstone.
     */
    private static <V> void write(Topic<String, V> topic, String holderOrPrincipalId, String key, V value)
            throws Exception {
        int partition = HolderKeys.partitionOf(holderOrPrincipalId, platform.catalog().partitions());
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        processorsOutput.send(new ProducerRecord<>(topic.name(), partition, key, bytes)).get();
    }
}
