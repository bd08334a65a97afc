package io.idstream.gateway.views;

import io.idstream.gateway.PrintableText;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One view's reader of one of the processors' output topics. It receives raw bytes and decodes them itself, so that a
 * record that does not decode is skipped, logged by its position and counted, and never stops the gateway. Before
 * its view sees a record it checks what holds for every holder-keyed topic (docs/protocol.md section 11): the record
 * sits in the partition its holder id hashes to, since this task answers for the holders of its own partition only
 * and anyone allowed to write a partition may write any. A record refused here is counted in
 * {@value #IGNORED_METRIC} by reason.
 */
abstract class ViewProcessor<V> implements Processor<byte[], byte[], Void, Void> {
    static final String METRICS_GROUP = "idstream-gateway";
    static final String IGNORED_METRIC = "records-ignored-total";

    /** At most one warning of skipped records per view and task in this time; the metric counts every one. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(ViewProcessor.class);

    protected ProcessorContext<Void, Void> context;
    private final Deserializer<V> deserializer;
    private final int partitions;
    private final Map<String, Sensor> ignoredSensors = new HashMap<>();
    private boolean warned;
    private long warnedAtNanos;
    private long unloggedSinceWarning;

    /**
     * @param deserializer the decoder of the topic's values
     * @param partitions the partition count of the holder-keyed topics, which holder ids are hashed over
     */
    ViewProcessor(Deserializer<V> deserializer, int partitions) {
        this.deserializer = deserializer;
        this.partitions = partitions;
    }

    @Override
    public final void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        open(context);
    }

    /** Opens the task's stores; called once per task. */
    protected abstract void open(ProcessorContext<Void, Void> context);

    @Override
    public final void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            ignore("no-key", "the record has no key");
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String holderId = HolderKeys.holderIdOf(key);
        int expected = HolderKeys.partitionOf(holderId, partitions);
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(expected);
        if (partition != expected) {
            ignore("wrong-partition", "holder '" + text(holderId) + "' hashes to partition " + expected + " of "
                    + partitions);
            return;
        }
        V value;
        try {
            value = record.value() == null ? null : deserializer.deserialize(topic(), record.value());
        } catch (SerializationException e) {
            ignore("undecodable", text(e.getMessage()));
            return;
        }
        handle(key, holderId, value);
    }

    /** Applies one record whose key's holder owns this partition; {@code value} is null for a tombstone. */
    protected abstract void handle(String key, String holderId, V value);

    /**
     * Skips the record being processed: counts it, and logs why with its position unless this view logged a skip
     * within {@link #WARNING_INTERVAL_NANOS}, since whoever may write a topic may write a flood of bad records.
     * {@code detail} must quote record text only through {@link #text}.
     */
    protected void ignore(String reason, String detail) {
        ignoredSensors.computeIfAbsent(reason, this::ignoredSensor).record();
        long now = System.nanoTime();
        if (warned && now - warnedAtNanos < WARNING_INTERVAL_NANOS) {
            unloggedSinceWarning++;
            return;
        }
        LOG.warn("Ignoring a record reason={} detail={} {} unloggedSkipsBefore={}", reason, detail,
                context.recordMetadata()
                        .map(m -> "topic=" + m.topic() + " partition=" + m.partition() + " offset=" + m.offset())
                        .orElse(""), unloggedSinceWarning);
        warned = true;
        warnedAtNanos = now;
        unloggedSinceWarning = 0;
    }

    /** Text from a record, as logs may quote it: short and printable. */
    protected static String text(String fromRecord) {
        return PrintableText.excerpt(fromRecord);
    }

    /** The record's offset in its partition; -1 outside of processing. */
    protected long offset() {
        return context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    private Sensor ignoredSensor(String reason) {
        String thread = Thread.currentThread().getName();
        Sensor sensor = context.metrics().addSensor("idstream.gateway." + IGNORED_METRIC + "." + reason + "."
                + thread, Sensor.RecordingLevel.INFO);
        if (!sensor.hasMetrics()) {
            sensor.add(new MetricName(IGNORED_METRIC, METRICS_GROUP,
                    "Records of the processors' output topics the gateway did not take into its views, by reason",
                    Map.of("reason", reason, "thread-id", thread)), new CumulativeCount());
        }
        return sensor;
    }
}
