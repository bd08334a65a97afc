package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code idstream topics grow} against a deployment whose processors and gateways are stopped, and {@code grow <N>}
 * typed to {@code idstream platform}: one line saying what was copied, or the one line of the refusal (exit 1).
 */
@Timeout(180)
class TopicsGrowCommandIT {
    @TempDir
    static Path dir;
    static Platform platform;

    @BeforeAll
    static void start() {
        Map<String, Object> settings = TestPlatform.settings(dir, false);
        settings.put(PlatformConfig.PROCESSORS_ENABLED, false);
        settings.put(PlatformConfig.GATEWAY_ENABLED, false);
        platform = Platform.start(new PlatformConfig(settings));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void growsByMultiplesOnlyWhileNoGatewayRunsAndSaysWhatItCopied() throws Exception {
        CliRun notAMultiple = grow("9");
        assertThat(notAMultiple.exitCode()).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(notAMultiple.errLines()).containsExactly("idstream topics grow: cannot grow from 6 to 9 "
                + "partitions: 9 is not a multiple of 6, and each new partition must take the records of exactly one "
                + "old one so that a holder's history stays in one ordered source");

        try (KafkaConsumer<String, String> gateway = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "idstream-gateway"), new StringDeserializer(),
                new StringDeserializer())) {
            gateway.subscribe(List.of(platform.catalog().audit().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                gateway.poll(Duration.ofMillis(100));
                return !gateway.assignment().isEmpty();
            });
            CliRun gatewayRunning = grow("12");
            assertThat(gatewayRunning.exitCode()).isEqualTo(IdstreamCommand.EXIT_FAILED);
            assertThat(gatewayRunning.errLines()).containsExactly("idstream topics grow: cannot grow while the "
                    + "consumer group idstream-gateway has 1 member: stop the processors and the gateways first");
        }

        CliRun grown = grow("12");
        assertThat(grown.ok()).startsWith("grew generation 0 (6 partitions) to generation 1 (12 partitions): copied ")
                .doesNotContain("\n");
        assertThat(TopicGenerations.current(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()), Duration.ofSeconds(10))).isEqualTo(new TopicGeneration(1, 12));

        assertThat(NodeControl.answer("grow 30", platform)).isEqualTo("cannot grow from 12 to 30 partitions: 30 is "
                + "not a multiple of 12, and each new partition must take the records of exactly one old one so that "
                + "a holder's history stays in one ordered source");
        assertThat(NodeControl.answer("grow 24", platform))
                .startsWith("grew generation 1 (12 partitions) to generation 2 (24 partitions): copied ");
        assertThat(platform.catalog().generation()).isEqualTo(new TopicGeneration(2, 24));
    }

    private static CliRun grow(String partitions) {
        return CliRun.of("topics", "grow", "--partitions", partitions, "--bootstrap-servers",
                platform.bootstrapServers());
    }
}
