package io.idstream.processors;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The policy every processor of untrusted input follows, on a processor of its own that refuses or fails as each
 * record's value says: a refusal goes to the rejected topic with the record's own key and value and its reason (the
 * reason's description when the refusal gives no detail), and is logged with where the record came from; an
 * unforeseen failure is refused as malformed, naming the exception, and the next record is processed; a record
 * without a value is refused as such; a retriable failure is not the record's fault and propagates.
 */
class GuardedProcessorTest {
    static final String INPUT = "guarded-in";
    /** Its keys reach the processor as text, as a record forwarded inside the topology may. */
    static final String TEXT_KEYED_INPUT = "guarded-text-keyed-in";
    static final String REJECTED = "guarded-rejected";
    static final String REJECTED_SINK = "guarded-rejected-sink";
    /** What operators read in the detail header of a malformed record refused without detail. */
    static final String MALFORMED_DESCRIPTION = "an id, name or list has the wrong shape";

    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> input;
    TestInputTopic<String, byte[]> textKeyedInput;
    TestOutputTopic<byte[], byte[]> rejected;
    final List<String> logged = new CopyOnWriteArrayList<>();
    CapturedLog capturedLog;

    /** Reads each value as a script: refuse, refuse naming the key, fail, or fail retriably. */
    static final class ScriptedProcessor extends GuardedProcessor {
        ScriptedProcessor() {
            super(REJECTED_SINK, 1);
        }

        @Override
        protected void open(ProcessorContext<Object, Object> context) {
        }

        @Override
        protected void handle(Record<Object, Object> record) {
            String script = decode(new StringDeserializer(), INPUT, (byte[]) record.value());
            switch (script) {
                case "refuse without detail" -> throw new Rejection(RejectReason.MALFORMED, null);
                case "refuse naming the key" -> throw new Rejection(RejectReason.KEY_MISMATCH,
                        "key '" + keyOf(record) + "'");
                case "fail" -> throw new IllegalStateException("a bug");
                case "fail retriably" -> throw new TimeoutException("the registry is unreachable");
                default -> throw new AssertionError("no script " + script);
            }
        }
    }

    @BeforeEach
    void startDriver() {
        Topology topology = new Topology();
        topology.addSource("guarded-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), INPUT);
        topology.addSource("guarded-text-keyed-source", new StringDeserializer(), new ByteArrayDeserializer(),
                TEXT_KEYED_INPUT);
        topology.addProcessor("guarded", ScriptedProcessor::new, "guarded-source", "guarded-text-keyed-source");
        topology.addSink(REJECTED_SINK, REJECTED, new ByteArraySerializer(), new ByteArraySerializer(), "guarded");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "guarded-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "ttd:9092");
        driver = new TopologyTestDriver(topology, props);
        input = driver.createInputTopic(INPUT, new ByteArraySerializer(), new ByteArraySerializer());
        textKeyedInput = driver.createInputTopic(TEXT_KEYED_INPUT, new StringSerializer(), new ByteArraySerializer());
        rejected = driver.createOutputTopic(REJECTED, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        capturedLog = new CapturedLog(logged);
    }

    @AfterEach
    void stopDriver() {
        capturedLog.close();
        driver.close();
    }

    @Test
    void aRefusalWithoutDetailCarriesItsReasonsDescription() {
        input.pipeInput(utf8("k"), utf8("refuse without detail"));

        assertThat(rejected.readRecordsToList()).extracting(r -> header(r, GuardedProcessor.REASON_HEADER),
                r -> header(r, GuardedProcessor.DETAIL_HEADER))
                .containsExactly(tuple("malformed", MALFORMED_DESCRIPTION));
    }

    @Test
    void aRefusedRecordKeepsItsKeyAndValueAndAKeylessOneIsNamedByAnEmptyKey() {
        input.pipeInput(utf8("alice"), utf8("refuse naming the key"));
        input.pipeInput(null, utf8("refuse naming the key"));

        assertThat(rejected.readRecordsToList()).extracting(r -> text(r.key()), r -> text(r.value()),
                r -> header(r, GuardedProcessor.DETAIL_HEADER)).containsExactly(
                tuple("alice", "refuse naming the key", "key 'alice'"),
                tuple(null, "refuse naming the key", "key ''"));
    }

    @Test
    void aKeyThatArrivesAsTextIsNamedAsItIs() {
        textKeyedInput.pipeInput("alice", utf8("refuse naming the key"));

        assertThat(rejected.readRecordsToList()).extracting(r -> header(r, GuardedProcessor.DETAIL_HEADER))
                .containsExactly("key 'alice'");
    }

    @Test
    void aRefusalIsLoggedWithItsReasonAndWhereTheRecordCameFrom() {
        input.pipeInput(utf8("alice"), utf8("refuse naming the key"));

        assertThat(logged).containsExactly("Rejected a record reason=key-mismatch detail=key 'alice' topic="
                + INPUT + " partition=0 offset=0");
    }

    @Test
    void anUnforeseenFailureIsRefusedAsMalformedNamingTheExceptionAndTheNextRecordIsProcessed() {
        input.pipeInput(utf8("alice"), utf8("fail"));
        input.pipeInput(utf8("alice"), utf8("refuse without detail"));

        assertThat(rejected.readRecordsToList()).extracting(r -> text(r.value()),
                r -> header(r, GuardedProcessor.REASON_HEADER), r -> header(r, GuardedProcessor.DETAIL_HEADER))
                .containsExactly(tuple("fail", "malformed", "processing failed: IllegalStateException"),
                        tuple("refuse without detail", "malformed", MALFORMED_DESCRIPTION));
    }

    @Test
    void aRecordWithoutValueIsRefusedAsHavingNone() {
        input.pipeInput(utf8("alice"), (byte[]) null);

        assertThat(rejected.readRecordsToList()).extracting(r -> header(r, GuardedProcessor.REASON_HEADER),
                r -> header(r, GuardedProcessor.DETAIL_HEADER))
                .containsExactly(tuple("not-avro", "the record has no value"));
    }

    @Test
    void aRetriableFailurePropagatesAndNothingIsRejected() {
        assertThatThrownBy(() -> input.pipeInput(utf8("alice"), utf8("fail retriably")))
                .hasRootCauseInstanceOf(TimeoutException.class)
                .hasRootCauseMessage("the registry is unreachable");
        assertThat(rejected.isEmpty()).as("rejected topic is empty").isTrue();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Collects what GuardedProcessor logs at WARN and above while open; the test configuration logs it at ERROR. */
    private static final class CapturedLog extends AbstractAppender implements AutoCloseable {
        private final List<String> lines;
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final LoggerConfig logger;
        private final Level levelBefore;

        CapturedLog(List<String> lines) {
            super("guarded-processor-test", null, null, true, Property.EMPTY_ARRAY);
            this.lines = lines;
            start();
            logger = context.getConfiguration().getLoggerConfig(GuardedProcessor.class.getName());
            levelBefore = logger.getLevel();
            logger.addAppender(this, Level.WARN, null);
            logger.setLevel(Level.WARN);
            context.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }

        @Override
        public void close() {
            logger.removeAppender(getName());
            logger.setLevel(levelBefore);
            context.updateLoggers();
            stop();
        }
    }
}
