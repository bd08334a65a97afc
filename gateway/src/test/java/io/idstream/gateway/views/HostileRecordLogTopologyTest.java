package io.idstream.gateway.views;

import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whoever may write a holder-keyed topic chooses the keys and ids the gateway quotes when it skips a record: the log
 * quotes them short and printable, and a flood of skipped records is one warning, not one each.
 */
@Timeout(120)
class HostileRecordLogTopologyTest {
    @Test
    void aFloodOfRecordsWithForgedLogLinesInTheirKeysIsLoggedOnceAndEscaped() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (GatewayHarness gateway = new GatewayHarness(3); CapturedLog ignored = new CapturedLog(warnings)) {
            TestInputTopic<byte[], byte[]> inbox = gateway.driver.createInputTopic(
                    gateway.catalog.holderInbox().name(), new ByteArraySerializer(), new ByteArraySerializer());
            String forged = forgedIdOnAnotherPartition();

            for (int i = 0; i < 100; i++) {
                inbox.pipeInput((forged + "/request-" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0});
            }

            assertThat(warnings).as("100 skipped records within the warning interval").hasSize(1);
            assertThat(warnings.get(0)).contains("reason=wrong-partition").doesNotContain("\n")
                    .doesNotContain("\u001b").contains("\\u000a").doesNotContain("z".repeat(100));
        }
    }

    /** A holder id carrying a line feed, a terminal escape and a long tail, hashed to a partition other than 0. */
    private static String forgedIdOnAnotherPartition() {
        for (int i = 0; ; i++) {
            String id = "evil" + i + "\nWARN forged\u001b[31m" + "z".repeat(1_000);
            if (HolderKeys.partitionOf(id, 3) != 0) {
                return id;
            }
        }
    }

    /** Collects what ViewProcessor logs at WARN while open. */
    private static final class CapturedLog extends AbstractAppender implements AutoCloseable {
        private final List<String> lines;
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final String name = ViewProcessor.class.getName();

        CapturedLog(List<String> lines) {
            super("hostile-record-log-test", null, null, true, Property.EMPTY_ARRAY);
            this.lines = lines;
            start();
            Configuration configuration = context.getConfiguration();
            LoggerConfig logger = new LoggerConfig(name, Level.WARN, true);
            logger.addAppender(this, Level.WARN, null);
            configuration.addLogger(name, logger);
            context.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }

        @Override
        public void close() {
            context.getConfiguration().removeLogger(name);
            context.updateLoggers();
            stop();
        }
    }
}
