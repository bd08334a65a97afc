package io.idstream.platform.growth;

import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves a deployment whose processors and gateways are stopped to a new generation of its holder-keyed topics with
 * more partitions, losing and reordering nothing (docs/operations.md "Growing the partition count"): it fences the
 * current generation's topics against writes, makes the next generation's topics with their ACLs, copies every
 * record of the old topics to its holder's new partition in order, starts the processors' new group where the old
 * one stopped, copies the processors' state to the new tasks' changelogs, and then publishes the new generation.
 * Every step before the publishing can be done again: a growth cut short is simply run again.
 */
public final class PartitionGrowth {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionGrowth.class);

    private final GrowthSettings settings;

    public PartitionGrowth(GrowthSettings settings) {
        this.settings = settings;
    }

    /**
     * Grows to {@code partitions} partitions.
     *
     * @throws GrowthRefusedException if the count is not a multiple above the current one, or the processors' or the
     *                                gateways' consumer group has members
     */
    public GrowthReport grow(int partitions) {
        long started = System.nanoTime();
        Duration timeout = settings.timeout();
        TopicGeneration current = TopicGenerations.current(settings.configs(), timeout);
        GrowthGuard.requireMultiple(current, partitions);
        TopicGeneration next = current.next(partitions);
        String oldProcessors = ProcessorsConfig.generationApplicationId(settings.processorsApplicationId(),
                current.number());
        String newProcessors = ProcessorsConfig.generationApplicationId(settings.processorsApplicationId(),
                next.number());
        String oldGateway = ProcessorsConfig.generationApplicationId(settings.gatewayApplicationId(),
                current.number());
        TopicCatalog from = TopicCatalog.create(TopicGenerations.withGeneration(settings.configs(), current));
        TopicCatalog to = TopicCatalog.create(TopicGenerations.withGeneration(settings.configs(), next));
        try (Admin admin = Admin.create(settings.adminConfigs());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumerConfigs());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producerConfigs())) {
            GrowthGuard.requireStopped(admin, List.of(oldProcessors, oldGateway), timeout);
            LOG.info("Growing the holder-keyed topics from {} to {}", current, next);
            GenerationTopics topics = new GenerationTopics(admin, timeout);
            new TopicProvisioner(admin, timeout).provision(List.of(to.generations()));
            List<String> fenced = from.generationTopics().stream().map(Topic::name).toList();
            topics.fence(fenced);
            Map<String, Long> copied = new HashMap<>();
            Map<String, Long> changelogs;
            try {
                topics.recreate(to.generationTopics());
                for (int i = 0; i < from.generationTopics().size(); i++) {
                    topics.copyAcls(from.generationTopics().get(i).name(), to.generationTopics().get(i).name());
                }

                LOG.info("Fenced {} and made {} in {} ms", from.generation(), next, elapsedMs(started));
                HolderRouting routing = new HolderRouting(current.partitions(), partitions);
                RecordCopier copier = new RecordCopier(consumer, producer, timeout);
                Set<String> inputs = Set.of(from.directory().name(), from.credentialsIssued().name(),
                        from.accessRequests().name(), from.accessDecisions().name());
                Map<TopicPartition, Long> resumeAt = new HashMap<>();
                for (int i = 0; i < from.generationTopics().size(); i++) {
                    String source = from.generationTopics().get(i).name();
                    String target = to.generationTopics().get(i).name();
                    boolean input = inputs.contains(source);
                    Map<Integer, Long> processed = input
                            ? GroupOffsets.committed(admin, oldProcessors, source, timeout) : Map.of();
                    RecordCopier.Copied result = copier.copy(source, current.partitions(), target,
                            routing::ofHolderKey, processed);
                    copied.put(source, result.records());
                    if (input) {
                        for (int partition = 0; partition < partitions; partition++) {
                            resumeAt.put(new TopicPartition(target, partition),
                                    result.processedByTarget().getOrDefault(partition, 0L));
                        }
                    }
                }
                LOG.info("Copied the topics of {} in {} ms: {}", current, elapsedMs(started), copied);
                GroupOffsets.delete(admin, newProcessors, timeout);
                GroupOffsets.commit(admin, newProcessors, resumeAt, timeout);
                changelogs = new ChangelogCopy(admin, topics, copier, timeout)
                        .copy(oldProcessors, newProcessors, routing);
                LOG.info("Copied the processors' changelogs in {} ms: {}", elapsedMs(started), changelogs);
            } catch (RuntimeException e) {
                // Nothing is published: the old generation stays in use, so it takes writes again, and a growth
                // run again starts over.
                try {
                    topics.unfence(fenced);
                } catch (RuntimeException unfenceFailed) {
                    e.addSuppressed(unfenceFailed);
                }
                throw e;
            }
            // Outside the unfencing: a write that timed out may yet have been made, and then the old generation
            // must stay fenced; the growth run again publishes the same generation.
            TopicGenerations.publish(producer, to, next, timeout);
            GrowthReport report = new GrowthReport(current, next, copied, changelogs,
                    Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Growth done: {}", report.summary());
            return report;
        }
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
