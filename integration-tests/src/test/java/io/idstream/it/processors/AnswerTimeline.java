package io.idstream.it.processors;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A consumer following its delivery topic from the beginning in a thread of its own, committed records only, as a
 * live consumer does: it verifies each delivery as it reads it and notes when it read each answer, so that a test
 * can tell how soon after a fault the consumer was served again, and afterwards holds every answer the topic holds.
 */
final class AnswerTimeline implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One answer to a request, when the consumer read it, and for a delivery what the consumer's checks said. */
    record Answer(String requestId, String holderId, DeliveryEvent event, long readAtMillis,
                  DeliveryVerification verification) {
        boolean verifiedDelivery() {
            return verification != null && verification.verified();
        }
    }

    private final String topic;
    private final List<TopicPartition> partitions;
    private final KafkaConsumer<String, DeliveryEvent> reader;
    private final Function<CredentialDelivery, DeliveryVerification> verifier;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean reading = true;
    private volatile RuntimeException failure;

    AnswerTimeline(String bootstrapServers, Topic<String, DeliveryEvent> topic,
                   Function<CredentialDelivery, DeliveryVerification> verifier) {
        this.topic = topic.name();
        this.verifier = verifier;
        reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), topic.valueSerde().deserializer());
        partitions = PartitionReader.partitionsOf(reader, topic.name(), READ_TIMEOUT);
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        thread = new Thread(this::read, "answer-timeline-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (reading) {
                reader.poll(Duration.ofMillis(100)).forEach(record -> {
                    long readAt = System.currentTimeMillis();
                    if (record.value().getEvent() instanceof CredentialDelivery delivery) {
                        answers.add(new Answer(delivery.getRequestId(), delivery.getHolderId(), record.value(),
                                readAt, verifier.apply(delivery)));
                    } else if (record.value().getEvent() instanceof ConsumerNotice notice) {
                        answers.add(new Answer(notice.getRequestId(), notice.getHolderId(), record.value(), readAt,
                                null));
                    }
                });
                reader.assignment().forEach(partition -> positions.put(partition, reader.position(partition)));
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            reader.close();
        }
    }

    /** Every answer read so far, in the order read. */
    List<Answer> answers() {
        if (failure != null) {
            throw new IllegalStateException("the consumer stopped reading " + topic, failure);
        }
        return List.copyOf(answers);
    }

    /** The events of every answer read so far. */
    List<DeliveryEvent> events() {
        return answers().stream().map(Answer::event).toList();
    }

    /** Waits until the consumer has read up to the topic's committed end offsets of now. */
    void awaitReadToEnd(Admin admin, Duration timeout) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        Awaitility.await("the consumer read " + topic + " to its end offsets " + ends).atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    answers();
                    return ends.entrySet().stream()
                            .allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue());
                });
    }

    @Override
    public void close() {
        reading = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
