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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Moves a deployment whose processors and gateways are stopped to a new generation of its holder-keyed topics with
 * more partitions, losing and reordering nothing (docs/operations.md "Growing the partition count"): it fences the
 * current generation's topics against writes, makes the next generation's topics, copies every record of the old
 * topics to its holder's new partition in order, copies the processors' state to the new tasks' changelogs, copies
 * what the old topics took after their ends were first read, gives the new topics the ACL bindings of the old, starts
 * the processors' new group where the old one stopped, and then publishes the new generation. Every step before the
 * publishing can be done again: a growth cut short is simply run again.
 */
public final class PartitionGrowth {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionGrowth.class);

    private final GrowthSettings settings;

    private final Consumer<TopicCatalog> beforePublish;
    private final Runnable afterCopies;

    public PartitionGrowth(GrowthSettings settings) {
        this(settings, next -> { });
    }

    /**
     * With {@code beforePublish} given the new generation's catalogue once its topics are ready, before it is
     * published (to register its schemas where only the operator may); its failure fails the growth.
     */
    public PartitionGrowth(GrowthSettings settings, Consumer<TopicCatalog> beforePublish) {
        this(settings, beforePublish, () -> { });
    }

    /** With {@code afterCopies} run once every topic is copied, before the old topics' ends are checked again. */
    PartitionGrowth(GrowthSettings settings, Runnable afterCopies) {
        this(settings, next -> { }, afterCopies);
    }

    private PartitionGrowth(GrowthSettings settings, Consumer<TopicCatalog> beforePublish, Runnable afterCopies) {
        this.settings = settings;
        this.beforePublish = beforePublish;
        this.afterCopies = afterCopies;
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
            List<String> groups = List.of(oldProcessors, oldGateway);
            GrowthGuard.requireStopped(admin, groups, timeout);
            List<String> fenced = from.generationTopics().stream().map(Topic::name).toList();
            GrowthGuard.requirePartitions(admin, fenced, current.partitions(), timeout);
            LOG.info("Growing the holder-keyed topics from {} to {}", current, next);
            GenerationTopics topics = new GenerationTopics(admin, timeout);
            new TopicProvisioner(admin, timeout).provision(List.of(to.generations()));
            Map<String, Optional<String>> recordLimits = topics.recordLimits(fenced);
            GenerationCopy copy;
            Map<String, Long> changelogs;
            try {
                topics.fence(fenced);
                topics.recreate(to.generationTopics());
                LOG.info("Fenced {} and made {} in {} ms", from.generation(), next, elapsedMs(started));
                HolderRouting routing = new HolderRouting(current.partitions(), partitions);
                RecordCopier copier = new RecordCopier(consumer, producer, timeout);
                copy = new GenerationCopy(admin, copier, routing, timeout);
                Set<String> inputs = Set.of(from.directory().name(), from.credentialsIssued().name(),
                        from.accessRequests().name(), from.accessDecisions().name());
                Map<String, String> targets = new LinkedHashMap<>();
                Map<String, Map<Integer, Long>> processed = new HashMap<>();
                for (int i = 0; i < from.generationTopics().size(); i++) {
                    String source = from.generationTopics().get(i).name();
                    targets.put(source, to.generationTopics().get(i).name());
                    if (inputs.contains(source)) {
                        processed.put(source, GroupOffsets.committed(admin, oldProcessors, source, timeout));
                    }
                    copy.copy(source, targets.get(source), processed.get(source));
                }
                LOG.info("Copied the topics of {} in {} ms: {}", current, elapsedMs(started), copy.copied());
                changelogs = new ChangelogCopy(admin, topics, copier, timeout)
                        .copy(oldProcessors, newProcessors, routing);
                LOG.info("Copied the processors' changelogs in {} ms: {}", elapsedMs(started), changelogs);
                afterCopies.run();
                copy.catchUp(targets, processed);
                // Only now may the new topics be written: a record written during the copy would come before or
                // between a holder's copied ones.
                targets.forEach(topics::copyAcls);
                beforePublish.accept(to);
                GrowthGuard.requireStopped(admin, groups, timeout);
                GroupOffsets.delete(admin, newProcessors, timeout);
                GroupOffsets.commit(admin, newProcessors, copy.resumeAt(), timeout);
            } catch (RuntimeException e) {
                // Nothing is published: the old generation stays in use, so it takes writes again, and a growth
                // run again starts over.
                try {
                    topics.unfence(recordLimits);
                } catch (RuntimeException unfenceFailed) {
                    e.addSuppressed(unfenceFailed);
                }
                throw e;
            }
            // Outside the unfencing: a write that timed out may yet have been made, and then the old generation
            // must stay fenced; the growth run again publishes the same generation.
            TopicGenerations.publish(producer, to, next, timeout);
            GrowthReport report = new GrowthReport(current, next, copy.copied(), changelogs,
                    Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Growth done: {}", report.summary());
            return report;
        }
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
