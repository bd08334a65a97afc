package io.idstream.platform.growth;

import io.idstream.topics.TopicGeneration;

import java.time.Duration;
import java.util.Map;

/**
 * What one {@link PartitionGrowth} did: the generation it moved from and to, the records it copied from each
 * holder-keyed topic of the old generation (by the old topic's name), the records of the processors' changelogs it
 * copied (by the old changelog's name), and how long it took.
 */
public record GrowthReport(TopicGeneration before, TopicGeneration after, Map<String, Long> recordsCopied,
                           Map<String, Long> changelogRecordsCopied, Duration duration) {
    public GrowthReport {
        recordsCopied = Map.copyOf(recordsCopied);
        changelogRecordsCopied = Map.copyOf(changelogRecordsCopied);
    }

    /** Records copied from the holder-keyed topics, all together. */
    public long totalRecordsCopied() {
        return recordsCopied.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records copied from the processors' changelogs, all together. */
    public long totalChangelogRecordsCopied() {
        return changelogRecordsCopied.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for an operator: from which generation to which, and what was copied in how long. */
    public String summary() {
        return "grew " + before + " to " + after + ": copied " + totalRecordsCopied() + " records of "
                + recordsCopied.size() + " topics and " + totalChangelogRecordsCopied() + " records of "
                + changelogRecordsCopied.size() + " changelogs in " + duration.toMillis() + " ms";
    }
}
