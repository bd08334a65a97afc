package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.growth.GrowthReport;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.TopicGeneration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running embedded platform, with a holder registered, a credential stored, a grant made and a request parked,
 * grows from 6 to 12 partitions and then to 24: afterwards the processors run a task per new partition and have
 * kept their state (the parked request is answered by an approval sent after the growth), and the gateway's views,
 * built afresh from the new topics, show the holder what she had.
 */
@Timeout(240)
class PlatformGrowthIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aRunningPlatformGrowsTwiceKeepingEveryHoldersState() throws Exception {
        long started = System.nanoTime();
        Platform platform = TestPlatform.start(dir);
        phase("platform up", started);
        Path keys = dir.resolve("keys");
        IssuerClient issuer = null;
        HolderClient alice = null;
        ConsumerClient exchange = null;
        OperatorClient operator = null;
        ConsumerClient.Subscription deliveries = null;
        try {
            issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"), platform.clientProperties());
            alice = TestPlatform.holder(platform, Identity.create(keys, "alice", "holder"));
            exchange = new ConsumerClient(Identity.create(keys, "exchange-a", "consumer"),
                    platform.clientProperties());
            operator = new OperatorClient(platform.operatorKey(), platform.clientProperties());
            issuer.register("KYC Co");
            operator.accredit("kyc-co");
            alice.register("Alice");
            alice.allowIssuer("kyc-co", List.of("kyc"), Duration.ofDays(30), null);
            assertThat(issuer.awaitWriteGrant("alice", null, WAIT)).as("kyc-co hears of alice's write grant")
                    .isPresent();
            exchange.register("Exchange A");
            operator.accredit("exchange-a");
            awaitTopic(platform, platform.catalog().deliveries("exchange-a").name());
            String credentialId = issuer.issue("alice", "kyc", Map.of("country", "DE", "age_over_18", "true"), 0L);
            alice.awaitCredential(credentialId, WAIT);
            deliveries = exchange.subscribe("exchange-a.growth");
            String granted = exchange.requestCredential("alice", credentialId, List.of("country"), "onboarding");
            alice.awaitPending(granted, WAIT);
            String grantId = alice.approve(granted, new HolderClient.Scope(null, Duration.ofDays(1), 5));
            assertThat(deliveries.await(granted, DeliveryOutcome.Delivered.class::isInstance, WAIT)).isPresent();
            String parked = exchange.requestCredential("alice", credentialId, List.of("age_over_18"), "trading");
            alice.awaitPending(parked, WAIT);

            phase("story ready", started);
            GrowthReport first = platform.growPartitions(12);
            phase("grown to 12, processors and gateway running again", started);

            assertThat(first.after()).isEqualTo(new TopicGeneration(1, 12));
            assertThat(platform.catalog().accessRequests().name()).isEqualTo("idstream.g1.access.requests");
            assertThat(taskPartitions(platform)).isEqualTo(partitions(12));
            HolderClient holder = alice;
            await("alice's credential, grant and parked request in the new gateway's views").atMost(WAIT)
                    .untilAsserted(() -> {
                        assertThat(holder.credentials()).containsKey(credentialId);
                        assertThat(holder.activeGrants()).containsKey(grantId);
                        assertThat(holder.inbox()).extracting(pending -> pending.getRequest().getRequestId())
                                .containsExactly(parked);
                    });
            alice.approve(parked, new HolderClient.Scope(null, Duration.ofDays(1), 1));
            assertThat(deliveries.await(parked, DeliveryOutcome.Delivered.class::isInstance, WAIT))
                    .as("the request parked before the growth, answered after it").isPresent();

            phase("parked request answered", started);
            GrowthReport second = platform.growPartitions(24);
            phase("grown to 24, processors and gateway running again", started);

            assertThat(second.after()).isEqualTo(new TopicGeneration(2, 24));
            assertThat(taskPartitions(platform)).isEqualTo(partitions(24));
            await("alice's credential and grant after the second growth").atMost(WAIT).untilAsserted(() -> {
                assertThat(holder.credentials()).containsKey(credentialId);
                assertThat(holder.activeGrants()).containsKey(grantId);
                assertThat(holder.inbox()).isEmpty();
            });
            System.out.printf("growth 6->12 took %d ms, 12->24 took %d ms%n", first.duration().toMillis(),
                    second.duration().toMillis());
        } finally {
            TestPlatform.closeAll(deliveries, issuer, alice, exchange, operator, platform);
        }
    }

    /** How long the test took to reach a phase, printed for the operations guide's figures. */
    private static void phase(String what, long started) {
        System.out.printf("%s after %d ms%n", what, (System.nanoTime() - started) / 1_000_000);
    }

    /** The partitions of the processors' active tasks on this instance. */
    private static Set<Integer> taskPartitions(Platform platform) {
        return platform.processors().streams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .map(task -> task.taskId()).map(TaskId::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> partitions(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static void awaitTopic(Platform platform, String topic) {
        try (Admin admin = Admin.create(platform.clientProperties())) {
            await("topic " + topic).atMost(WAIT).until(() -> admin.listTopics().names().get().contains(topic));
        }
    }
}
