package io.idstream.it.processors;

import io.idstream.it.StoryClients;
import io.idstream.platform.Platform;
import io.idstream.platform.Ports;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.IssuerClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A consumer's subscription while the schema registry cannot be reached: the read fails, and what it could not read
 * is read again once the registry is back, also after the subscription was closed (the group commits positions on
 * close). A failed read never counts a delivery as read.
 */
@Timeout(120)
class SubscriptionRegistryOutageIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String GROUP = "exchange-a.outage";

    @TempDir
    Path dir;

    @Test
    void aDeliveryReadWhileTheRegistryIsUnreachableIsReadAgainOnceItIsBack() throws Exception {
        try (Platform platform = StoryClients.startPlatform(dir.resolve("data"))) {
            Properties client = platform.clientProperties();
            Identity exchangeIdentity;
            String requestId;
            try (StoryClients story = new StoryClients(platform, dir.resolve("keys"))) {
                IssuerClient issuer = story.issuer;
                HolderClient alice = story.alice;
                ConsumerClient exchange = story.exchange;
                exchangeIdentity = exchange.identity();
                String credential = issuer.issue("alice", "kyc", Map.of("country", "DE"), 0L);
                alice.awaitCredential(credential, WAIT);
                requestId = exchange.requestCredential("alice", credential, List.of("country"), "onboarding");
                alice.awaitPending(requestId, WAIT);
            }

            // Given a consumer whose registry is unreachable: its read of the delivery topic fails.
            Properties outage = new Properties();
            outage.putAll(client);
            outage.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + Ports.freePort());
            try (ConsumerClient exchange = new ConsumerClient(exchangeIdentity, outage);
                 ConsumerClient.Subscription subscription = exchange.subscribe(GROUP)) {
                assertThatThrownBy(() -> Awaitility.await("a record to read").atMost(WAIT)
                        .until(() -> !subscription.poll(Duration.ofMillis(500)).isEmpty()))
                        .isInstanceOf(IdstreamException.class)
                        .hasMessageStartingWith("cannot read idstream.deliveries.exchange-a");
            }

            // When the registry is back, the same group reads the PENDING notice it could not read before.
            try (ConsumerClient exchange = new ConsumerClient(exchangeIdentity, client);
                 ConsumerClient.Subscription subscription = exchange.subscribe(GROUP)) {
                Optional<DeliveryOutcome> pending = subscription.await(requestId,
                        outcome -> outcome instanceof DeliveryOutcome.Notice, WAIT);
                assertThat(pending).as("the notice for request %s, read again", requestId).isPresent();
            }
        }
    }
}
