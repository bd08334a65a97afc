package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walkthrough on {@code idstream platform --nodes 3}: the platform prints its three nodes and how it
 * replicates, and when the node leading the holder's partition is stopped midway, by {@code stop <id>} typed on the
 * platform's stdin, the rest of the story still works, down to a delivery the consumer verifies; a second stop,
 * which would cost the KRaft quorum, is refused.
 */
@Timeout(300)
class ClusterWalkthroughIT {
    @TempDir
    static Path dir;
    static Platform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.startCluster(dir, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        TestPlatform.closeAll(platform);
    }

    @Test
    void theWalkthroughGoesOnWithTheHoldersLeaderStopped() throws Exception {
        StringWriter printed = new StringWriter();
        PlatformSettings.print(platform, new PlatformConfig(TestPlatform.settings(dir, false)),
                new PrintWriter(printed, true));
        String[] nodes = platform.bootstrapServers().split(",");
        assertThat(printed.toString().lines()).contains("kafka.nodes=3", "kafka.node.1=" + nodes[0],
                "kafka.node.2=" + nodes[1], "kafka.node.3=" + nodes[2], "replication.factor=3",
                "min.insync.replicas=2");

        ok("identity", "create", "--role", "issuer", "--id", "kyc-co", "--name", "KYC Co");
        ok("operator", "accredit", "--issuer", "kyc-co", "--operator-key", operatorKey());
        ok("identity", "create", "--role", "holder", "--id", "alice");
        ok("identity", "create", "--role", "consumer", "--id", "exchange-a");
        ok("operator", "accredit", "--consumer", "exchange-a", "--operator-key", operatorKey());
        ok("allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc");
        CliRun.eventually(() -> ok("issue", "--issuer", "kyc-co", "--holder", "alice", "--type", "kyc", "--field",
                "country=DE", "--field", "age_over_18=true", "--field", "full_name=Alice Example"),
                id -> id.matches("[0-9a-f-]{36}"));
        String requestId = CliRun.eventually(() -> ok("request", "--consumer", "exchange-a", "--holder", "alice",
                "--type", "kyc", "--fields", "country,age_over_18", "--purpose", "onboarding"),
                id -> id.matches("[0-9a-f-]{36}"));
        CliRun.eventually(() -> ok("inbox", "--holder", "alice"), s -> s.contains(requestId));

        // Midway, the user types "stop <id>" for the node that leads alice's partition of the holders' decisions.
        int leader = leaderOfAlicesDecisions();
        StringWriter answers = new StringWriter();
        try (PipedOutputStream typed = new PipedOutputStream()) {
            NodeControl.follow(new PipedInputStream(typed), platform, new PrintWriter(answers, true));
            typed.write(("stop " + leader + "\n").getBytes(StandardCharsets.UTF_8));
            typed.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.toString().contains("stopped"));
        }
        EmbeddedKafkaCluster cluster = platform.kafkaCluster();
        assertThat(answers.toString()).startsWith("idstream platform: Kafka node " + leader + " stopped (");
        assertThat(cluster.running(leader)).isFalse();

        String grantId = ok("approve", "--holder", "alice", "--request", requestId, "--expires", "30d",
                "--uses", "5");
        assertThat(grantId).matches("[0-9a-f-]{36}");
        String deliveries = CliRun.eventually(() -> ok("deliveries", "--consumer", "exchange-a"),
                s -> s.contains("DELIVERED"));
        assertThat(deliveries).contains("DELIVERED  " + requestId, "[age_over_18, country]", "verified");
        assertThat(CliRun.eventually(() -> ok("audit", "--holder", "alice", "--json"), s -> s.contains("DELIVERED")))
                .contains("\"grantId\":\"" + grantId + "\"");

        // A second stop would leave one node of three, no KRaft quorum: it is refused, and the first node comes back.
        int other = leader % 3 + 1;
        String secondStop = NodeControl.apply("stop " + other, cluster);
        boolean otherStillRunning = cluster.running(other);
        String restart = NodeControl.apply("start " + leader, cluster);
        assertThat(secondStop).isEqualTo("Kafka node " + other + " not stopped: 1 of 3 nodes would run, fewer than "
                + "the 2 the KRaft quorum needs; start a stopped node first");
        assertThat(otherStillRunning).isTrue();
        assertThat(restart).startsWith("Kafka node " + leader + " started (");
    }

    @Test
    void typedCommandsThatCannotBeDoneSaySo() {
        EmbeddedKafkaCluster cluster = platform.kafkaCluster();
        assertThat(NodeControl.apply("stop 4", cluster)).isEqualTo("no Kafka node 4: nodes are 1..3");
        assertThat(NodeControl.apply("halt 1", cluster))
                .isEqualTo("unknown command 'halt 1': type 'stop <id>', 'start <id>' or 'grow <partitions>'");
        assertThat(NodeControl.apply("stop 1", null))
                .isEqualTo("one Kafka node runs (--nodes 1): there is no node to stop while the platform runs");
    }

    private static int leaderOfAlicesDecisions() throws Exception {
        String topic = platform.catalog().accessDecisions().name();
        try (Admin admin = Admin.create(platform.clientProperties())) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            // The producers' default partitioner: murmur2 of the serialized key.
            int partition = Utils.toPositive(Utils.murmur2("alice".getBytes(StandardCharsets.UTF_8)))
                    % description.partitions().size();
            TopicPartitionInfo alices = description.partitions().get(partition);
            assertThat(alices.replicas()).hasSize(3);
            return alices.leader().id();
        }
    }

    private static String operatorKey() {
        return dir.resolve("data/operator/signing.pem").toString();
    }

    private static String ok(String... args) {
        return CliRun.onPlatform(platform, dir.resolve("keys").toString(), List.of(args)).ok();
    }
}
