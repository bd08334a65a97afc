package io.idstream.platform.growth;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The copy of one generation's holder-keyed topics to the next: every record, then whatever the old topics took that
 * the first reads did not see (a write the partition's leader acknowledged as the fence took effect, past the end
 * another broker answered), until the old topics' ends stand where the copy read them to. It keeps where the new
 * processors' group resumes: just after the last record copied to each new partition that the old group had
 * processed, as Kafka numbered it in the new partition.
 */
final class GenerationCopy {
    private final Admin admin;
    private final RecordCopier copier;
    private final HolderRouting routing;
    private final Duration timeout;
    private final Map<String, Long> copied = new TreeMap<>();
    private final Map<TopicPartition, Long> readTo = new HashMap<>();
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();

    GenerationCopy(Admin admin, RecordCopier copier, HolderRouting routing, Duration timeout) {
        this.admin = admin;
        this.copier = copier;
        this.routing = routing;
        this.timeout = timeout;
    }

    /**
     * Copies {@code source} whole to {@code target}; {@code processedBelow} (an input of the processors: the old
     * group's committed offsets, else null) makes its new partitions' resume offsets kept.
     */
    void copy(String source, String target, Map<Integer, Long> processedBelow) {
        if (processedBelow != null) {
            for (int partition = 0; partition < routing.to(); partition++) {
                resumeAt.putIfAbsent(new TopicPartition(target, partition), 0L);
            }
        }
        record(source, target, copier.copy(source, routing.from(), target, routing::ofHolderKey,
                processedBelow == null ? Map.of() : processedBelow));
    }

    /**
     * Copies what each source took past the end its copy read to, until no source's end (committed or not) moved;
     * fails if that does not happen within the timeout.
     */
    void catchUp(Map<String, String> targets, Map<String, Map<Integer, Long>> processedBelow) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, Long> committed = ends(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> written = ends(IsolationLevel.READ_UNCOMMITTED);
            Map<String, Map<Integer, Long>> behind = new HashMap<>();
            readTo.forEach((partition, end) -> {
                if (committed.get(partition) > end || written.get(partition) > end) {
                    behind.computeIfAbsent(partition.topic(), topic -> new HashMap<>()).put(partition.partition(),
                            end);
                }
            });
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                // A transaction left open on an old topic holds its committed end back until it ends.
                throw new IllegalStateException("the ends of the old generation's topics still moved past what was "
                        + "copied " + timeout.toSeconds() + " s after they were fenced (an open transaction?): "
                        + "copied to " + behind + ", committed ends " + committed + ", written ends " + written);
            }
            behind.forEach((source, startAt) -> record(source, targets.get(source), copier.copy(source,
                    startAt.keySet(), startAt, targets.get(source), routing::ofHolderKey,
                    processedBelow.getOrDefault(source, Map.of()))));
            pause();
        }
    }

    /** The records copied by source topic. */
    Map<String, Long> copied() {
        return copied;
    }

    /** Where the new processors' group resumes, by new partition. */
    Map<TopicPartition, Long> resumeAt() {
        return resumeAt;
    }

    private void record(String source, String target, RecordCopier.Copied result) {
        copied.merge(source, result.records(), Long::sum);
        result.readTo().forEach((partition, end) -> readTo.put(new TopicPartition(source, partition), end));
        result.processedUpTo().forEach((partition, offset) -> resumeAt.merge(new TopicPartition(target, partition),
                offset, Math::max));
    }

    private Map<TopicPartition, Long> ends(IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        readTo.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = AdminCalls.await(admin.listOffsets(
                latest, new ListOffsetsOptions(isolation)).all(), timeout, "read the end offsets of "
                + Set.copyOf(readTo.keySet().stream().map(TopicPartition::topic).toList()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        found.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the old topics' ends", e);
        }
    }
}
