package io.idstream.it.attacks;

import io.idstream.it.StoryClients;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.RequestRecords;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.SkippedRecord;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: phishing through the inbox. A pending request carries a copy of the consumer's display name and
 * accreditation; a writer of the inbox topic puts requests into alice's partition that claim to come from "Binance":
 * two signed by exchange-a (one of them offering alice's passport for a request of her kyc credential), one whose
 * signature is not exchange-a's, and one from a consumer the directory does not know. The holder gateway serves them
 * as the topic holds them; alice's client shows the name and accreditation of the directory entry it checked against
 * the operator key it pins, and only a credential the request asks for, and drops, with a report, a request whose
 * signature does not verify with its consumer's key from the directory.
 */
@Timeout(180)
class InboxPhishingAttackIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CLAIMED_NAME = "Binance";

    @TempDir
    Path dir;

    @Test
    void theInboxShowsTheDirectorysNameAndDropsRequestsWhoseSignatureDoesNotVerify() throws Exception {
        try (Platform platform = StoryClients.startPlatform(dir.resolve("data"))) {
            try (StoryClients story = new StoryClients(platform, dir.resolve("keys"))) {
                IssuerClient issuer = story.issuer;
                HolderClient alice = story.alice;
                ConsumerClient exchange = story.exchange;
                Identity exchangeKeys = exchange.identity();
                String credentialId = issuer.issue("alice", "kyc", Map.of("country", "DE"), 0L);
                String passportId = issuer.issue("alice", "passport", Map.of("country", "DE"), 0L);
                alice.awaitCredential(credentialId, WAIT);
                alice.awaitCredential(passportId, WAIT);
                String genuine = exchange.request("alice", "kyc", List.of("country"), "onboarding");
                alice.awaitPending(genuine, WAIT);

                // Given four forged pending requests in alice's inbox, each claiming an accredited "Binance"; one
                // also offers her passport for approval as the kyc credential that exchange-a asked for.
                PendingRequest renamed = forged(request(exchangeKeys.signing(), "exchange-a"), credentialId);
                PendingRequest swapped = forged(request(exchangeKeys.signing(), "exchange-a"), passportId);
                PendingRequest badlySigned = forged(request(SigningKeyPair.generate(), "exchange-a"), credentialId);
                PendingRequest unknownConsumer = forged(request(SigningKeyPair.generate(), "binance"), credentialId);
                Topic<String, InboxEvent> inbox = platform.catalog().holderInbox();
                write(platform, inbox, renamed);
                write(platform, inbox, swapped);
                write(platform, inbox, badlySigned);
                write(platform, inbox, unknownConsumer);

                // When alice reads her inbox, once the gateway serves what was written to it.
                // Then every request shows the directory's name, never the claimed one, and the passport is not
                // offered for a request that asks for kyc; the requests that do not verify are reported, not shown.
                // Each read is several signed requests, so the polls are paced well inside the gateway's rate limit.
                Awaitility.await("the forged requests served by the gateway").atMost(WAIT)
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    List<PendingRequest> shown = alice.inbox();
                    assertThat(shown).as("alice's inbox: request id, consumer name, accredited, credential offered")
                            .extracting(p -> p.getRequest().getRequestId(), PendingRequest::getConsumerDisplayName,
                                    PendingRequest::getConsumerAccredited, PendingRequest::getCredentialId)
                            .containsExactlyInAnyOrder(Tuple.tuple(genuine, "Exchange A", true, credentialId),
                                    Tuple.tuple(id(renamed), "Exchange A", true, credentialId),
                                    Tuple.tuple(id(swapped), "Exchange A", true, ""));
                    assertThat(alice.skippedRecords()).as("what alice's client dropped from her inbox")
                            .extracting(SkippedRecord::reason)
                            .containsOnly("request " + id(badlySigned)
                                            + " does not carry a valid signature of consumer 'exchange-a'",
                                    "request " + id(unknownConsumer)
                                            + " names consumer 'binance', which is not in the directory");
                });
            }
        }
    }

    private static String id(PendingRequest pending) {
        return pending.getRequest().getRequestId();
    }

    private static AccessRequest request(SigningKeyPair signer, String consumerId) {
        return RequestRecords.signed(signer, new RequestStatement(UUID.randomUUID().toString(), consumerId, "alice",
                "kyc", "", "account recovery", System.currentTimeMillis(), List.of("country")));
    }

    /** A pending request as an attacker writes it: the request, and the name and accreditation it claims. */
    private static PendingRequest forged(AccessRequest request, String credentialId) {
        long now = System.currentTimeMillis();
        return new PendingRequest(request, CLAIMED_NAME, true, credentialId, "kyc", "kyc-co", now,
                now + Duration.ofDays(1).toMillis());
    }

    private static void write(Platform platform, Topic<String, InboxEvent> inbox, PendingRequest pending)
            throws Exception {
        try (KafkaProducer<String, InboxEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), inbox.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(inbox.name(), HolderKeys.partitionOf("alice",
                    inbox.partitions()), "alice", new InboxEvent(pending))).get();
        }
    }
}
