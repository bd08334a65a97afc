package io.idstream.bench.pipeline;

import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.RejectReason;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sends a step of the set-up (registrations, credentials, standing grants) and blocks until the processors have
 * accepted every record of it, reading the topic that shows their acceptance and the rejected topic from before the
 * step. The processors learn the verified directory through a global store that they load on a thread of their own,
 * so a record can overtake the principals it names: a record refused because a principal is not known yet is sent
 * again as it was; any other refusal fails the set-up with its reason.
 */
final class SetUpPublisher {
    /** Refusals that mean "not in the processors' directory yet" while everyone is registered. */
    private static final Set<String> DIRECTORY_NOT_LOADED = Set.of(RejectReason.UNKNOWN_PRINCIPAL.code(),
            RejectReason.UNKNOWN_HOLDER.code(), RejectReason.NOT_ACCREDITED.code());

    /** A record to send, with its key. */
    record Keyed<V>(String key, V value) {
    }

    private final TopicCatalog catalog;
    private final LoadProducer producer;
    private final Map<String, Object> readCommittedConsumer;

    SetUpPublisher(Pipeline pipeline) {
        this(pipeline.catalog, pipeline.producer, pipeline.readCommittedConsumer());
    }

    SetUpPublisher(TopicCatalog catalog, LoadProducer producer, Map<String, Object> readCommittedConsumer) {
        this.catalog = catalog;
        this.producer = producer;
        this.readCommittedConsumer = readCommittedConsumer;
    }

    /** Sends the records to {@code input}; returns once as many records on {@code outcomes} pass {@code accepted}. */
    <V, O> void publish(Topic<String, V> input, List<Keyed<V>> records, Topic<String, O> outcomes,
                        Predicate<O> accepted) {
        publish(input, records, List.of(outcomes), accepted);
    }

    /** The same, counting the accepted records of several outcome topics of one value type (issuers' notices). */
    <V, O> void publish(Topic<String, V> input, List<Keyed<V>> records, List<Topic<String, O>> outcomes,
                        Predicate<O> accepted) {
        String rejected = catalog.rejected().name();
        Deserializer<O> outcome = outcomes.get(0).valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readCommittedConsumer,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            outcomes.forEach(topic -> partitions.addAll(Pipeline.partitionsOf(consumer, topic.name())));
            partitions.addAll(Pipeline.partitionsOf(consumer, rejected));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            records.forEach(record -> producer.send(input, record.key(), record.value()));
            producer.flush();
            int seen = 0;
            long deadline = System.nanoTime() + Pipeline.SETUP_TIMEOUT.toNanos();
            while (seen < records.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("set-up stalled: " + seen + " of " + records.size() + " on "
                            + outcomes.get(0).name());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(rejected)) {
                        resendIfEarly(input.name(), record);
                    } else if (record.value() != null && accepted.test(outcome.deserialize(record.topic(),
                            record.value()))) {
                        seen++;
                        // A large step may take longer than the time-out: only a step that stops moving stalls.
                        deadline = System.nanoTime() + Pipeline.SETUP_TIMEOUT.toNanos();
                    }
                }
            }
        }
    }

    private void resendIfEarly(String input, ConsumerRecord<byte[], byte[]> rejection) {
        if (!input.equals(header(rejection, GuardedProcessor.SOURCE_TOPIC_HEADER))) {
            return;
        }
        String reason = header(rejection, GuardedProcessor.REASON_HEADER);
        if (!DIRECTORY_NOT_LOADED.contains(reason)) {
            throw new IllegalStateException("set-up record refused on " + input + ": " + reason + " ("
                    + header(rejection, GuardedProcessor.DETAIL_HEADER) + ")");
        }
        producer.sendBytes(input, new String(rejection.key(), StandardCharsets.UTF_8), rejection.value());
        producer.flush();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
