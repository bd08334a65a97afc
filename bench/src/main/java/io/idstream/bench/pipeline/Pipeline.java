package io.idstream.bench.pipeline;

import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the phases share: the platform under test, its topic catalogue, the load producer, the participants, and a
 * reader of each consumer's delivery topic with the verifier of its deliveries. {@link #setUp} makes the
 * participants, puts them onto the platform ({@link PipelineSetUp}), and starts the readers.
 */
final class Pipeline implements AutoCloseable {
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);

    final PlatformProcess platform;
    final TopicCatalog catalog;
    final LoadProducer producer;
    final Participants participants;
    final ConsumerSideVerifier verifier;
    final List<DeliveryReader> readers = new ArrayList<>();

    private Pipeline(PlatformProcess platform, Participants participants) {
        this.platform = platform;
        this.catalog = TopicCatalog.create(Map.of("schema.registry.url", platform.schemaRegistryUrl));
        this.producer = new LoadProducer(platform.bootstrapServers);
        this.participants = participants;
        this.verifier = new ConsumerSideVerifier(participants);
    }

    static Pipeline setUp(PlatformProcess platform, BenchOptions options) throws Exception {
        long now = System.currentTimeMillis();
        Pipeline pipeline = new Pipeline(platform, Participants.create(options, now));
        try {
            PipelineSetUp.run(pipeline, now);
            pipeline.startReaders();
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * The same participants on a platform started again on the data they were set up in: nothing is sent, the
     * delivery readers start at the topics' ends.
     */
    static Pipeline reconnect(PlatformProcess platform, Participants participants) throws Exception {
        Pipeline pipeline = new Pipeline(platform, participants);
        try {
            pipeline.startReaders();
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
    }

    private void startReaders() throws Exception {
        for (Participant consumer : participants.consumers) {
            DeliveryReader reader = new DeliveryReader(readCommittedConsumer(), catalog.deliveries(consumer.id));
            readers.add(reader);
            reader.start();
        }
        for (DeliveryReader reader : readers) {
            reader.awaitAssigned();
        }
    }

    /** Settings of a consumer that sees what the processors committed, as every idstream client does. */
    Map<String, Object> readCommittedConsumer() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return configs;
    }

    /** Sets every delivery reader's handler; null detaches them. */
    void onDeliveries(DeliveryReader.Handler handler) {
        readers.forEach(reader -> reader.onDelivery(handler));
    }

    /** The topic's partitions, once the consumer's metadata shows the topic (a delivery topic may be new). */
    static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic) {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        while (infos.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after "
                        + SETUP_TIMEOUT.toSeconds() + " s");
            }
            infos = consumer.partitionsFor(topic);
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    @Override
    public void close() {
        for (DeliveryReader reader : readers) {
            reader.close();
        }
        producer.close();
    }
}
