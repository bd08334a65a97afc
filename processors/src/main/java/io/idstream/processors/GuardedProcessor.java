package io.idstream.processors;

import io.idstream.schemas.serde.UnknownSchemaException;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A processor of untrusted input: it receives the raw bytes, decodes them itself, and turns every refusal into a
 * record on the rejected topic (the original key and value, the reason in headers) plus a count in the per-reason
 * metric, so that a bad record never stops the application and never vanishes. A retriable failure (the registry
 * unreachable) is not the record's fault and propagates, so the task retries under exactly-once.
 *
 * <p>Two rules hold for every input before its own checks (docs/protocol.md section 11). A record must be in the
 * partition its key hashes to, as Kafka's default partitioner places it: a task keeps the state of the keys of its
 * own partition only, so a record written elsewhere would be checked against a task that has never seen its key. And
 * what the processors write carries their own clock as its timestamp, never the input's, since topics delete by
 * record timestamp and an input may be dated anything.
 */
public abstract class GuardedProcessor implements Processor<Object, Object, Object, Object> {
    public static final String REASON_HEADER = "idstream.reason";
    public static final String DETAIL_HEADER = "idstream.reason.detail";
    public static final String SOURCE_TOPIC_HEADER = "idstream.source.topic";
    public static final String SOURCE_PARTITION_HEADER = "idstream.source.partition";
    public static final String SOURCE_OFFSET_HEADER = "idstream.source.offset";
    public static final String METRICS_GROUP = "idstream-processors";

    private static final Logger LOG = LoggerFactory.getLogger(GuardedProcessor.class);

    protected ProcessorContext<Object, Object> context;
    private final String rejectedSink;
    private final int partitions;
    private final Map<RejectReason, Sensor> rejectionSensors = new EnumMap<>(RejectReason.class);

    /**
     * @param rejectedSink the sink node, in this processor's sub-topology, that writes the rejected topic
     * @param partitions the partition count of the input topics, which their keys are hashed over
     */
    protected GuardedProcessor(String rejectedSink, int partitions) {
        this.rejectedSink = rejectedSink;
        this.partitions = partitions;
    }

    /** Keeps the task's context for this class's own use, then lets the subclass {@link #open} its stores. */
    @Override
    public final void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        open(context);
    }

    /** Opens the task's state stores and builds the handlers; called once per task, from {@link #init}. */
    protected abstract void open(ProcessorContext<Object, Object> context);

    @Override
    public final void process(Record<Object, Object> input) {
        Record<Object, Object> record = input.withTimestamp(context.currentSystemTimeMs());
        try {
            requireKeysPartition(record);
            handle(record);
        } catch (Rejection rejection) {
            reject(record, rejection.reason(), rejection.getMessage());
        } catch (RetriableException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug or an input we did not foresee: refuse the record, keep it, and keep going.
            LOG.error("Unexpected failure processing a record, rejecting it {}", where(), e);
            reject(record, RejectReason.MALFORMED, "processing failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Refuses a record read from a partition other than the one its key hashes to. Only raw input has byte keys;
     * records forwarded inside the task were checked when they arrived, and a record without a key is refused by the
     * key checks of its handler.
     */
    private void requireKeysPartition(Record<Object, Object> record) {
        if (!(record.key() instanceof byte[] key)) {
            return;
        }
        context.recordMetadata().ifPresent(metadata -> {
            int expected = Utils.toPositive(Utils.murmur2(key)) % partitions;
            if (metadata.partition() != expected) {
                throw new Rejection(RejectReason.WRONG_PARTITION, "the record is in partition " + metadata.partition()
                        + " of " + metadata.topic() + ", its key hashes to partition " + expected + " of "
                        + partitions);
            }
        });
    }

    /** Processes one record; throws {@link Rejection} to refuse it. */
    protected abstract void handle(Record<Object, Object> record);

    /** Decodes raw input, refusing bytes that are not a record of this type. */
    protected static <T> T decode(Deserializer<T> deserializer, String topic, byte[] bytes) {
        if (bytes == null) {
            throw new Rejection(RejectReason.NOT_AVRO, "the record has no value");
        }
        try {
            return deserializer.deserialize(topic, bytes);
        } catch (UnknownSchemaException e) {
            throw new Rejection(RejectReason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (SerializationException e) {
            throw new Rejection(RejectReason.NOT_AVRO, e.getMessage());
        }
    }

    protected static String keyOf(Record<Object, Object> record) {
        Object key = record.key();
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return key == null ? "" : key.toString();
    }

    protected String sourceTopic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    protected void reject(Record<Object, Object> record, RejectReason reason, String detail) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, utf8(reason.code()));
        headers.add(DETAIL_HEADER, utf8(detail == null ? reason.description() : detail));
        Optional<RecordMetadata> metadata = context.recordMetadata();
        metadata.ifPresent(m -> {
            headers.add(SOURCE_TOPIC_HEADER, utf8(m.topic()));
            headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(m.partition())));
            headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(m.offset())));
        });
        Object key = record.key() instanceof byte[] ? record.key() : null;
        Object value = record.value() instanceof byte[] ? record.value() : null;
        context.forward(new Record<>(key, value, record.timestamp(), headers), rejectedSink);
        rejectionSensor(reason).record();
        LOG.warn("Rejected a record reason={} detail={} {}", reason.code(), detail, where());
    }

    private String where() {
        return context.recordMetadata().map(m -> "topic=" + m.topic() + " partition=" + m.partition() + " offset="
                + m.offset()).orElse("");
    }

    private Sensor rejectionSensor(RejectReason reason) {
        return rejectionSensors.computeIfAbsent(reason, r -> counter("rejected-total",
                "Records refused and written to the rejected topic, by reason", "reason", r.code()));
    }

    /** A per-thread cumulative count in the {@value #METRICS_GROUP} group, with one tag besides the thread. */
    protected Sensor counter(String name, String description, String tag, String tagValue) {
        String thread = Thread.currentThread().getName();
        Sensor sensor = context.metrics().addSensor("idstream." + name + "." + tagValue + "." + thread,
                Sensor.RecordingLevel.INFO);
        if (!sensor.hasMetrics()) {
            sensor.add(new MetricName(name, METRICS_GROUP, description, Map.of(tag, tagValue, "thread-id", thread)),
                    new CumulativeCount());
        }
        return sensor;
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
