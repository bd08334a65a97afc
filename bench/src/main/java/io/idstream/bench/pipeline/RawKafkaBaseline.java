package io.idstream.bench.pipeline;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The same broker without idstream: records of random bytes, as large as a signed request, produced by the load
 * producer to a new topic with as many partitions as idstream's and read by one plain consumer at the same time.
 * Records per second, from the first send to the last record read, is the ceiling the pipeline is compared with.
 */
final class RawKafkaBaseline {
    /** Records per second, and the size of each record: that of a serialised access request. */
    record Figures(double perSec, int requestBytes) {
    }

    private final Pipeline pipeline;
    private final BenchOptions options;

    RawKafkaBaseline(Pipeline pipeline, BenchOptions options) {
        this.pipeline = pipeline;
        this.options = options;
    }

    Figures measure(int n) throws Exception {
        String topic = "bench.raw." + System.nanoTime();
        int partitions = pipeline.catalog.partitions();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.platform.bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        int requestBytes = LoadProducer.serialize(pipeline.catalog.accessRequests(),
                pipeline.participants.requests(1).get(0)).length;
        byte[] value = new byte[requestBytes];
        new Random(1).nextBytes(value);
        Reader reader = new Reader(topic, partitions, n);
        reader.start();
        try {
            if (!reader.ready.await(Pipeline.SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the raw Kafka reader found no start offsets on " + topic);
            }
            long started = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pipeline.producer.sendBytes(topic, "holder-" + (i % options.holders()), value);
            }
            pipeline.producer.flush();
            // On time-out the rate counts what arrived.
            reader.allRead.await(options.steadyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Figures(reader.received.get() / ((reader.lastReadAt.get() - started) / 1e9), requestBytes);
        } finally {
            reader.close();
        }
    }

    /** Reads the baseline topic from its start until every record is in, the run times out, or it is closed. */
    private final class Reader extends Thread {
        private final String topic;
        private final int partitions;
        private final int expected;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch allRead = new CountDownLatch(1);
        private final AtomicInteger received = new AtomicInteger();
        private final AtomicLong lastReadAt = new AtomicLong();

        Reader(String topic, int partitions, int expected) {
            super("bench-raw-reader");
            this.topic = topic;
            this.partitions = partitions;
            this.expected = expected;
        }

        @Override
        public void run() {
            Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    pipeline.platform.bootstrapServers);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> assigned = IntStream.range(0, partitions)
                        .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                assigned.forEach(consumer::position);
                ready.countDown();
                while (running.get() && received.get() < expected) {
                    int count = consumer.poll(Duration.ofMillis(100)).count();
                    if (count > 0) {
                        received.addAndGet(count);
                        lastReadAt.set(System.nanoTime());
                    }
                }
                allRead.countDown();
            }
        }

        void close() throws InterruptedException {
            running.set(false);
            join();
        }
    }
}
