package io.idstream.bench.pipeline;

import io.idstream.avro.DeliveryEvent;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one consumer's delivery topic on a thread of its own, from the end it has when the reader starts, as the
 * consumer's application would (read committed). Each delivery or notice goes to the handler the current phase has
 * set, with the time it was read; between phases there is none, and what arrives is dropped.
 */
final class DeliveryReader extends Thread {
    /** What a phase does with a delivery event; {@code readAt} is {@link System#nanoTime()} when it was read. */
    @FunctionalInterface
    interface Handler {
        void accept(DeliveryEvent event, long readAt);
    }

    private final Map<String, Object> configs;
    private final Topic<String, DeliveryEvent> topic;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private volatile Handler handler;

    DeliveryReader(Map<String, Object> readCommitted, Topic<String, DeliveryEvent> topic) {
        super("bench-reader-" + topic.name());
        this.configs = new HashMap<>(readCommitted);
        this.configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.topic = topic;
    }

    /** Sets the handler of the events read from now on; null drops them. */
    void onDelivery(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, DeliveryEvent> kafka = new KafkaConsumer<>(configs, new StringDeserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = Pipeline.partitionsOf(kafka, topic.name());
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            partitions.forEach(kafka::position);
            assigned.complete(null);
            while (running.get()) {
                for (ConsumerRecord<String, DeliveryEvent> record : kafka.poll(Duration.ofMillis(50))) {
                    long readAt = System.nanoTime();
                    Handler current = handler;
                    if (current != null && record.value() != null) {
                        current.accept(record.value(), readAt);
                    }
                }
            }
        } catch (RuntimeException e) {
            assigned.completeExceptionally(e);
            throw e;
        }
    }

    /** Blocks until the reader has its partitions and their end offsets: what is delivered after, it reads. */
    void awaitAssigned() throws Exception {
        assigned.get(Pipeline.SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops reading and waits for the thread; an interrupt while waiting is kept for the caller to see. */
    void close() {
        running.set(false);
        try {
            join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
